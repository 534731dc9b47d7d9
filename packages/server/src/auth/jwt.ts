import { createHmac, timingSafeEqual } from 'node:crypto';

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/** Signs claims as a compact HS256 JWT. */
export function signJwt(claims: object, secret: Buffer): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = createHmac('sha256', secret).update(`${HEADER}.${payload}`).digest('base64url');
  return `${HEADER}.${payload}.${signature}`;
}

/** Why a token was refused. */
export type JwtFailure = 'malformed' | 'signature';

/**
 * Verifies an HS256 JWT and returns its claims, or the reason it failed. Only HS256 is accepted
 * (no `alg: none`, no algorithm switching); the signature compare is constant-time.
 */
export function verifyJwt(token: string, secret: Buffer): Record<string, unknown> | JwtFailure {
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  if (first <= 0 || second <= first + 1 || token.indexOf('.', second + 1) !== -1)
    return 'malformed';
  let header: unknown;
  let claims: unknown;
  try {
    header = JSON.parse(Buffer.from(token.slice(0, first), 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(token.slice(first + 1, second), 'base64url').toString('utf8'));
  } catch {
    return 'malformed';
  }
  if (!isObject(header) || !isObject(claims)) return 'malformed';
  if (header.alg !== 'HS256') return 'signature';
  const expected = createHmac('sha256', secret).update(token.slice(0, second)).digest();
  const given = Buffer.from(token.slice(second + 1), 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'signature';
  return claims;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
