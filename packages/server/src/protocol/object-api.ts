import { randomBytes } from 'node:crypto';
import { allowsKey, allowsObjectStore } from '../auth/keys.js';
import { authenticate, forbidden } from './access.js';
import { parseQuery, parseTtl } from './query.js';
import type { Context } from './server-context.js';
import {
  methodNotAllowed,
  NO_CONTENT,
  type ProtocolRequest,
  type ProtocolResponse,
  text,
} from './types.js';

/** Documented blocked `mo-meta-*` names (protocol, security, CORS, proxy headers): ignored. */
const BLOCKED = new Set([
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'trailer',
  'te',
  'set-cookie',
  'cookie',
  'authorization',
  'www-authenticate',
  'content-security-policy',
  'x-frame-options',
  'strict-transport-security',
  'host',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-real-ip',
  'via',
  'forwarded',
  'proxy-authorization',
  'proxy-authenticate',
  'mo-request-id',
]);
const isBlocked = (name: string) => BLOCKED.has(name) || name.startsWith('access-control-');

/** Ephemeral objects: default and maximum TTL are 10 minutes (documented). */
const EPHEMERAL_MAX_SECONDS = 600;
/** Local decision: object keys up to 1024 bytes, like S3. */
const MAX_OBJECT_KEY_BYTES = 1024;
const TAG = /^[\p{L}\p{N}\s_.:/=+\-@]*$/u;

export const CORS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, PUT, DELETE, OPTIONS, HEAD',
  'access-control-allow-headers': '*',
  'access-control-expose-headers': '*',
  'access-control-max-age': '86400',
};

/** A time-ordered id in the UUIDv7 layout, for `mo-request-id`. */
export function uuidv7(): string {
  const bytes = randomBytes(16);
  const ms = BigInt(Date.now());
  for (let i = 0; i < 6; i++) bytes[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** What every object store data-plane answer carries: CORS (so a browser can read it) and an id. */
export const withObjectStoreHeaders = (res: ProtocolResponse): ProtocolResponse => ({
  ...res,
  headers: { ...res.headers, ...CORS, 'mo-request-id': uuidv7() },
});

/** `PUT|GET|DELETE /objectstore/{store}/{key…}` (header auth only) and `OPTIONS` preflight. */
export async function handleObject(
  ctx: Context,
  req: ProtocolRequest,
  store: string,
  key: string,
  qs: string,
): Promise<ProtocolResponse> {
  return withObjectStoreHeaders(await objectOp(ctx, req, store, key, qs));
}

async function objectOp(
  ctx: Context,
  req: ProtocolRequest,
  store: string,
  key: string,
  qs: string,
): Promise<ProtocolResponse> {
  const method = req.method;
  if (method === 'OPTIONS') return NO_CONTENT;
  const read = method === 'GET' || method === 'HEAD';
  if (!read && method !== 'PUT' && method !== 'DELETE')
    return methodNotAllowed('GET, HEAD, PUT, DELETE, OPTIONS');
  const grant = authenticate(ctx, req);
  if ('status' in grant) return grant;
  if (!allowsObjectStore(grant, store, !read)) {
    return forbidden(
      `${read ? 'reads from' : 'writes to'} object store '${store}' (it needs a super-user key or a key that names the store)`,
    );
  }
  if (grant.keyPrefix !== undefined && !allowsKey(grant, Buffer.from(key)))
    return forbidden('this object key (outside the key prefix of the API key)');
  if (!ctx.control.stores.has(store)) return text(404, 'Store Not Found');
  if (key.length === 0) return text(400, 'An object key is required');
  if (Buffer.byteLength(key) > MAX_OBJECT_KEY_BYTES) {
    return text(400, `The object key must be at most ${MAX_OBJECT_KEY_BYTES} bytes`);
  }

  if (read) {
    const found = await ctx.objects.get(store, key);
    if (found === undefined) return text(404, 'Object not found.');
    ctx.metrics.bytesOut += found.body.length;
    return {
      status: 200,
      headers: { 'content-type': 'application/octet-stream', ...found.metadata },
      body: method === 'HEAD' ? undefined : found.body,
    };
  }
  if (method === 'DELETE') {
    await ctx.objects.delete(store, key);
    return NO_CONTENT;
  }

  let ttl: number | undefined;
  const persistence = req.header('mo-persistence') ?? 'durable';
  if (persistence !== 'durable' && persistence !== 'ephemeral') {
    return text(400, "mo-persistence must be 'durable' or 'ephemeral'");
  }
  const q = parseQuery(qs);
  if (q.errors?.ttl_seconds) return text(400, q.errors.ttl_seconds);
  if (q.ttl_seconds !== undefined) {
    const max = persistence === 'ephemeral' ? EPHEMERAL_MAX_SECONDS : 315_360_000;
    ttl = parseTtl(q.ttl_seconds, max);
    if (ttl === undefined) return text(400, `ttl_seconds must be an integer from 1 to ${max}`);
  } else if (persistence === 'ephemeral') {
    ttl = EPHEMERAL_MAX_SECONDS;
  }
  const metadata: Record<string, string> = {};
  const tags: string[] = [];
  for (const [name, value] of req.headerEntries()) {
    if (name.startsWith('mo-meta-')) {
      const bare = name.slice(8);
      if (bare && !isBlocked(bare)) metadata[bare] = value;
    } else if (name.startsWith('mo-tag-')) {
      const tag = name.slice(7);
      if (tag.length < 1 || tag.length > 128 || value.length > 256 || tag.startsWith('aws:')) {
        return text(400, `Invalid object tag '${tag}'`);
      }
      if (!TAG.test(tag) || !TAG.test(value))
        return text(400, `Invalid characters in object tag '${tag}'`);
      tags.push(tag);
    }
  }
  if (tags.length > 10) return text(400, 'At most 10 object tags are allowed');
  const limit = ctx.options.maxObjectBytes;
  const declared = req.header('content-length');
  const tooLarge = {
    ...text(413, `Object size limit exceeded: at most ${limit} bytes`),
    bodyUnread: true,
  };
  if (declared !== undefined && Number(declared) > limit) return tooLarge;
  const body = await req.readBody(limit);
  if (body === undefined) return tooLarge;
  await ctx.objects.put(store, key, {
    body: Buffer.from(body),
    metadata,
    expiresAt: ttl === undefined ? undefined : Date.now() + ttl * 1000,
  });
  ctx.metrics.bytesIn += body.length;
  return NO_CONTENT;
}
