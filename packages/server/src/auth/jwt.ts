import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A short public fingerprint of a signing secret, written as `kid` into the header of every key it
 * signs. It lets the server tell "signed with another secret" (a restart without a persisted
 * secret) from "forged", and says nothing the signature does not already reveal about the secret.
 */
export function secretId(secret: Buffer): string {
  return createHash('sha256').update(secret).digest('base64url').slice(0, 11);
}

/** Signs claims as a compact HS256 JWT whose header names the secret (`kid`). */
export function signJwt(claims: object, secret: Buffer): string {
  const header = Buffer.from(
    JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: secretId(secret) }),
  ).toString('base64url');
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/** Why a token was refused. `other-secret`: the signature is wrong and `kid` names another secret. */
export type JwtFailure = 'malformed' | 'signature' | 'other-secret';

/**
 * Verifies an HS256 JWT and returns its claims, or the reason it failed. Only HS256 is accepted
 * (no `alg: none`, no algorithm switching). The signature must be the canonical unpadded base64url
 * text of the HMAC, compared in constant time as text: Node's decoder would also accept padding,
 * stray characters and other spellings of the same bits.
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
  const expected = Buffer.from(
    createHmac('sha256', secret).update(token.slice(0, second)).digest('base64url'),
  );
  const given = Buffer.from(token.slice(second + 1));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    const kid = header.kid;
    return typeof kid === 'string' && kid !== secretId(secret) ? 'other-secret' : 'signature';
  }
  return claims;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
