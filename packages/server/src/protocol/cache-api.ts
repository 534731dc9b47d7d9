import { allowsCache, allowsKey, type Grant } from '../auth/keys.js';
import { isValidName, MAX_KEY_BYTES } from '../options.js';
import { ItemKey } from '../storage/types.js';
import { authenticate, forbidden } from './access.js';
import { decodeBase64Key, parseQuery, parseTtl, type Query } from './query.js';
import type { Context } from './server-context.js';
import {
  methodNotAllowed,
  NO_CONTENT,
  OCTET,
  type ProtocolRequest,
  type ProtocolResponse,
  text,
} from './types.js';

const ALLOW = 'GET, PUT, DELETE';
const KEY_NOT_FOUND = text(404, 'Key Not Found');
const CACHE_NOT_FOUND = text(404, 'Cache Not Found');

/** Shared 413 answer; `close` because the rest of the body was left unread. */
const tooLarge = (limit: number): ProtocolResponse => ({
  ...text(413, `Item size limit exceeded: key + value must be at most ${limit} bytes`),
  bodyUnread: true,
});

/**
 * `GET|PUT|DELETE /cache/{cache}?key=…|key_base64=…[&ttl_seconds=…][&token=…]`.
 * Order of checks: method, query, auth (401), permission on the cache (403), cache exists (404),
 * key (400), key prefix (403), TTL (400), size (413).
 */
export function handleCache(
  ctx: Context,
  req: ProtocolRequest,
  rawCache: string,
  qs: string,
): ProtocolResponse | PromiseLike<ProtocolResponse> {
  const method = req.method;
  const write = method === 'PUT' || method === 'DELETE';
  if (!write && method !== 'GET') return methodNotAllowed(ALLOW);

  let cache: string;
  try {
    cache = rawCache.indexOf('%') === -1 ? rawCache : decodeURIComponent(rawCache);
  } catch {
    return text(400, 'Malformed percent-encoding in the cache name');
  }
  const query = parseQuery(qs);
  const errors = query.errors;
  if (errors?.token) return text(400, errors.token);

  const grant = authenticate(ctx, req, query.token);
  if ('status' in grant) return grant;
  if (!allowsCache(grant, cache, write))
    return forbidden(`${write ? 'writes to' : 'reads from'} cache '${cache}'`);

  if (!ctx.caches.has(cache)) return resolveCache(ctx, req, cache, query, grant);
  return withCache(ctx, req, cache, query, grant);
}

/**
 * A cache this process does not know yet: shared storage may know it (another process created it),
 * else it is created when `autoCreateCaches` is on, else 404 `Cache Not Found`.
 */
async function resolveCache(
  ctx: Context,
  req: ProtocolRequest,
  cache: string,
  query: Query,
  grant: Grant,
): Promise<ProtocolResponse> {
  if (!isValidName(cache)) {
    return ctx.options.autoCreateCaches
      ? text(400, 'Invalid cache name: use 1-255 of A-Z a-z 0-9 _ - .')
      : CACHE_NOT_FOUND;
  }
  if (!(await ctx.items.hasCache?.(cache))) {
    if (!ctx.options.autoCreateCaches) return CACHE_NOT_FOUND;
    await ctx.items.addCache?.(cache);
  }
  ctx.caches.add(cache);
  return withCache(ctx, req, cache, query, grant);
}

function withCache(
  ctx: Context,
  req: ProtocolRequest,
  cache: string,
  query: Query,
  grant: Grant,
): ProtocolResponse | PromiseLike<ProtocolResponse> {
  const method = req.method;
  const errors = query.errors;
  const key = parseKey(query);
  if (!(key instanceof ItemKey)) return key;
  if (grant.keyPrefix !== undefined && !allowsKey(grant, key.bytes))
    return forbidden('this key (outside the key prefix of the API key)');

  if (method === 'GET') {
    const value = ctx.items.get(cache, key);
    return value instanceof Promise ? value.then((v) => hitOrMiss(ctx, v)) : hitOrMiss(ctx, value);
  }
  if (method === 'DELETE') {
    const done = ctx.items.delete(cache, key);
    return done instanceof Promise ? done.then(() => NO_CONTENT) : NO_CONTENT;
  }

  if (errors?.ttl_seconds) return text(400, errors.ttl_seconds);
  if (query.ttl_seconds === undefined) return text(400, 'ttl_seconds is required on PUT');
  const ttl = parseTtl(query.ttl_seconds, ctx.options.maxTtlSeconds);
  if (ttl === undefined) {
    return text(400, `ttl_seconds must be an integer from 1 to ${ctx.options.maxTtlSeconds}`);
  }
  const limit = ctx.options.maxItemBytes - key.length;
  const declared = req.header('content-length');
  if (declared !== undefined && Number(declared) > limit) return tooLarge(ctx.options.maxItemBytes);
  return put(ctx, req, cache, key, ttl, limit);
}

function hitOrMiss(ctx: Context, value: Buffer | undefined): ProtocolResponse {
  if (value === undefined) {
    ctx.metrics.misses++;
    return KEY_NOT_FOUND;
  }
  ctx.metrics.hits++;
  ctx.metrics.bytesOut += value.length;
  return { status: 200, headers: OCTET, body: value };
}

function put(
  ctx: Context,
  req: ProtocolRequest,
  cache: string,
  key: ItemKey,
  ttl: number,
  limit: number,
): PromiseLike<ProtocolResponse> {
  // The continuation runs inside the body read's own promise: with a synchronous store (memory
  // mode) the whole PUT settles in one promise.
  return req.readBodyThen(limit, (value) => {
    if (value === undefined) return tooLarge(ctx.options.maxItemBytes);
    const stored = ctx.items.set(cache, key, value, ttl);
    return stored instanceof Promise
      ? stored.then((ok) => afterSet(ctx, ok, value.length))
      : afterSet(ctx, stored, value.length);
  });
}

function afterSet(ctx: Context, stored: boolean, bytes: number): ProtocolResponse {
  if (!stored) return tooLarge(ctx.options.maxItemBytes);
  ctx.metrics.bytesIn += bytes;
  return NO_CONTENT;
}

/** The key, or the 400 that explains why there is none. */
function parseKey(query: Query): ItemKey | ProtocolResponse {
  const { key, key_base64: b64, errors } = query;
  const error = errors?.key ?? errors?.key_base64;
  if (error) return text(400, error);
  if (key !== undefined && b64 !== undefined)
    return text(400, 'Give either key or key_base64, not both');
  if (key === undefined && b64 === undefined)
    return text(400, 'A key is required: key or key_base64');
  let item: ItemKey;
  if (key !== undefined) {
    item = ItemKey.ofText(key);
  } else {
    const decoded = decodeBase64Key(b64!);
    if (decoded === undefined) return text(400, 'key_base64 is not valid base64url');
    item = ItemKey.ofBytes(decoded);
  }
  if (item.length === 0) return text(400, 'The key must not be empty');
  if (item.length > MAX_KEY_BYTES)
    return text(400, `The key must be at most ${MAX_KEY_BYTES} bytes`);
  return item;
}
