import { randomUUID, timingSafeEqual } from 'node:crypto';
import { signJwt, verifyJwt } from './jwt.js';

/** A data-plane role, as in Momento's fine-grained access keys. */
export type CacheRole = 'readwrite' | 'readonly' | 'writeonly';

/** What a key may do. */
export interface Grant {
  superUser: boolean;
  role: CacheRole;
  /** `undefined` means every cache. */
  cache: string | undefined;
  /**
   * The one object store a fine-grained key opens; such a key opens no cache. `undefined`: no
   * object store (super-user keys open them all).
   */
  objectStore: string | undefined;
  /** `undefined` means every key. Compared on the key's bytes (cache keys or object keys). */
  keyPrefix: Buffer | undefined;
  /** Epoch seconds; `undefined` never expires. */
  expiresAt: number | undefined;
}

/** Options of `createApiKey`. */
export interface ApiKeyOptions {
  /** Control plane + data plane on everything. @default true when no role is given */
  superUser?: boolean;
  /** @default 'readwrite' */
  role?: CacheRole;
  /** Restrict to one cache. @default all caches */
  cache?: string;
  /**
   * A key for this one object store (role and key prefix apply to its objects) instead of caches.
   * Fine-grained keys without it cannot touch object stores. @default none
   */
  objectStore?: string;
  /** Restrict to keys (cache keys, or object keys with `objectStore`) starting with this prefix (UTF-8). @default all keys */
  keyPrefix?: string;
  /** Lifetime in seconds. @default never expires */
  expiresInSeconds?: number;
}

const ROLES = new Set<CacheRole>(['readwrite', 'readonly', 'writeonly']);

/** Mints a v2-style API key (`t: "g"`) signed with the server's secret. */
export function mintApiKey(secret: Buffer, options: ApiKeyOptions = {}): string {
  const superUser = options.superUser ?? options.role === undefined;
  const role = options.role ?? 'readwrite';
  if (!ROLES.has(role))
    throw new TypeError(`role must be readwrite, readonly or writeonly, got ${role}`);
  if (superUser && (options.role || options.cache || options.keyPrefix || options.objectStore)) {
    throw new TypeError(
      'a super-user key cannot also be scoped by role, cache, object store or key prefix',
    );
  }
  if (options.cache !== undefined && options.objectStore !== undefined) {
    throw new TypeError('a key names either one cache or one object store, not both');
  }
  const iat = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = { t: 'g', jti: randomUUID(), iat };
  if (options.expiresInSeconds !== undefined) {
    if (!(options.expiresInSeconds > 0)) throw new TypeError('expiresInSeconds must be > 0');
    claims.exp = iat + Math.ceil(options.expiresInSeconds);
  }
  claims.p = superUser
    ? { su: true }
    : {
        r: role,
        ...(options.cache ? { c: options.cache } : {}),
        ...(options.objectStore ? { os: options.objectStore } : {}),
        ...(options.keyPrefix ? { kp: options.keyPrefix } : {}),
      };
  return signJwt(claims, secret);
}

/** The 401 for a key another secret signed: the usual cause is a restart with a new secret. */
const OTHER_SECRET =
  "Invalid API key signature: the key was signed with another secret, so the server's signing " +
  'secret changed since it was made (a restart without --data-dir or --secret picks a new one). ' +
  'Use a key printed or minted for this secret (momento-http-server key create).';

/** Outcome of authenticating a token: a grant, or an HTTP status and message. */
export type AuthResult = Grant | { status: 401; message: string };

const SUPER: Grant = {
  superUser: true,
  role: 'readwrite',
  cache: undefined,
  objectStore: undefined,
  keyPrefix: undefined,
  expiresAt: undefined,
};

/** Verifies tokens; remembers good ones so the hot path skips the HMAC (expiry is rechecked every time). */
export class Authenticator {
  readonly #secret: Buffer;
  readonly #devKey: Buffer | undefined;
  readonly #verified = new Map<string, Grant>();

  constructor(secret: Buffer, devKey?: string) {
    this.#secret = secret;
    this.#devKey = devKey === undefined ? undefined : Buffer.from(devKey);
  }

  mint(options?: ApiKeyOptions): string {
    return mintApiKey(this.#secret, options);
  }

  authenticate(token: string, nowSeconds = Date.now() / 1000): AuthResult {
    let grant = this.#verified.get(token);
    if (grant === undefined) {
      const result = this.#verify(token);
      if ('status' in result) return result;
      grant = result;
      // Bounded so a flood of distinct valid keys cannot grow memory without limit.
      if (this.#verified.size >= 10_000) this.#verified.clear();
      this.#verified.set(token, grant);
    }
    if (grant.expiresAt !== undefined && nowSeconds >= grant.expiresAt) {
      return { status: 401, message: 'API key has expired' };
    }
    return grant;
  }

  #verify(token: string): AuthResult {
    if (this.#devKey) {
      const given = Buffer.from(token);
      if (given.length === this.#devKey.length && timingSafeEqual(given, this.#devKey))
        return SUPER;
    }
    const jwt = token.includes('.') ? token : unwrapV1(token);
    if (jwt === undefined) return { status: 401, message: 'Malformed API key' };
    const claims = verifyJwt(jwt, this.#secret);
    if (claims === 'malformed') return { status: 401, message: 'Malformed API key' };
    if (claims === 'signature') return { status: 401, message: 'Invalid API key signature' };
    if (claims === 'other-secret') return { status: 401, message: OTHER_SECRET };
    return toGrant(claims) ?? { status: 401, message: 'Malformed API key claims' };
  }
}

/** The v1 form: standard base64 of `{"api_key": <jwt>, "endpoint": <host>}`. */
function unwrapV1(token: string): string | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(token)) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const apiKey = (parsed as { api_key?: unknown }).api_key;
    return typeof apiKey === 'string' && apiKey.includes('.') ? apiKey : undefined;
  } catch {
    return undefined;
  }
}

function toGrant(claims: Record<string, unknown>): Grant | undefined {
  const exp = claims.exp;
  if (exp !== undefined && typeof exp !== 'number') return undefined;
  const p = claims.p as Record<string, unknown> | undefined;
  if (typeof p !== 'object' || p === null) return undefined;
  if (p.su === true) return { ...SUPER, expiresAt: exp };
  const role = p.r as CacheRole;
  if (!ROLES.has(role)) return undefined;
  if (p.c !== undefined && typeof p.c !== 'string') return undefined;
  if (p.kp !== undefined && typeof p.kp !== 'string') return undefined;
  if (p.os !== undefined && (typeof p.os !== 'string' || p.c !== undefined)) return undefined;
  return {
    superUser: false,
    role,
    cache: p.c,
    objectStore: p.os,
    keyPrefix: p.kp === undefined ? undefined : Buffer.from(p.kp),
    expiresAt: exp,
  };
}

/** Whether a grant allows a cache read or write on a cache (key prefix checked separately). */
export function allowsCache(grant: Grant, cache: string, write: boolean): boolean {
  if (grant.superUser) return true;
  if (grant.objectStore !== undefined) return false;
  if (grant.cache !== undefined && grant.cache !== cache) return false;
  return allowsRole(grant, write);
}

/**
 * Whether a grant allows publishing to (`publish`) or subscribing to a topic of a cache. Topics
 * follow the cache roles: a read-only key may subscribe but not publish, a write-only key may
 * publish but not subscribe (reading messages is reading), read-write both. A key prefix applies
 * to topic names as to cache keys (checked separately, with `allowsKey`).
 */
export const allowsTopic = (grant: Grant, cache: string, publish: boolean): boolean =>
  allowsCache(grant, cache, publish);

/**
 * Whether a grant allows reading or writing objects of a store: a super-user key, or a key that
 * names this store (key prefix checked separately). A key scoped to caches opens no store.
 */
export function allowsObjectStore(grant: Grant, store: string, write: boolean): boolean {
  if (grant.superUser) return true;
  return grant.objectStore === store && allowsRole(grant, write);
}

const allowsRole = (grant: Grant, write: boolean): boolean =>
  write ? grant.role !== 'readonly' : grant.role !== 'writeonly';

/** Whether a grant's key prefix (if any) covers this key. */
export function allowsKey(grant: Grant, key: Buffer): boolean {
  const prefix = grant.keyPrefix;
  return (
    prefix === undefined ||
    (key.length >= prefix.length && prefix.equals(key.subarray(0, prefix.length)))
  );
}

/** Wraps a JWT in the v1 form (`base64({api_key, endpoint})`), for clients that expect it. */
export function toV1Key(jwt: string, endpoint: string): string {
  return Buffer.from(JSON.stringify({ api_key: jwt, endpoint })).toString('base64');
}
