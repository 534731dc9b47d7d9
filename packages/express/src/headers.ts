import type { OutgoingHttpHeaders } from 'node:http';
import type { CacheRequest, StoredHeaders } from './types';

/** RFC 9110 §7.6.1 hop-by-hop fields (plus the non-standard Proxy-Connection): never stored. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Fields a 304 must not carry (they describe a body it does not have). */
const BODY_FIELDS = new Set([
  'content-length',
  'content-type',
  'content-encoding',
  'content-range',
]);

const asStored = (value: OutgoingHttpHeaders[string]): string | string[] | undefined => {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.map(String) : String(value);
};

/**
 * The headers the downstream chain produced: those set before the cache middleware ran (by
 * upstream middleware, per request: request ids, CORS for this origin…) are left out, because on a
 * hit the upstream middleware sets them again for the new request. Hop-by-hop fields are dropped.
 */
export function storedHeaders(
  current: OutgoingHttpHeaders,
  upstream: OutgoingHttpHeaders,
): StoredHeaders {
  const out: StoredHeaders = {};
  const connection = String(current.connection ?? '')
    .toLowerCase()
    .split(',')
    .map((s) => s.trim());
  for (const [name, raw] of Object.entries(current)) {
    if (HOP_BY_HOP.has(name) || connection.includes(name)) continue;
    const value = asStored(raw);
    if (value === undefined) continue;
    const before = asStored(upstream[name]);
    if (before !== undefined && String(before) === String(value)) continue;
    out[name] = value;
  }
  return out;
}

/** Headers of a 304 answer built from a stored 200 (RFC 9110 §15.4.5). */
export function notModifiedHeaders(headers: StoredHeaders): StoredHeaders {
  const out: StoredHeaders = {};
  for (const [name, value] of Object.entries(headers))
    if (!BODY_FIELDS.has(name)) out[name] = value;
  return out;
}

const one = (value: string | string[] | undefined) =>
  Array.isArray(value) ? value.join(', ') : value;

/** Entity tags of an If-None-Match list, without their weak prefix (weak comparison). */
function entityTags(list: string): string[] {
  return (list.match(/(?:W\/)?"[^"]*"/g) ?? []).map((tag) => tag.replace(/^W\//, ''));
}

/**
 * RFC 9110 §13.1.2 / §13.1.3 for GET and HEAD: true when the client's copy is current, so a 304
 * is the answer. If-None-Match uses weak comparison and accepts lists and `*`; If-Modified-Since
 * is only evaluated when If-None-Match is absent. A cache answering from a stored response without
 * Last-Modified compares with its Date, else the time it was received (RFC 9111 §4.3.2):
 * `receivedAt`, epoch ms, given for stored responses only.
 */
export function clientHasCurrent(
  req: CacheRequest,
  headers: StoredHeaders,
  receivedAt?: number,
): boolean {
  const inm = one(req.headers['if-none-match']);
  if (inm !== undefined) {
    if (inm.trim() === '*') return true;
    const etag = one(headers.etag);
    if (!etag) return false;
    const ours = etag.replace(/^W\//, '');
    return entityTags(inm).includes(ours);
  }
  const ims = one(req.headers['if-modified-since']);
  // Most requests are not conditional: nothing to format for them.
  if (ims === undefined) return false;
  const received = receivedAt === undefined ? undefined : new Date(receivedAt).toUTCString();
  const lastModified =
    one(headers['last-modified']) ?? (received && (one(headers.date) ?? received));
  if (lastModified === undefined) return false;
  const since = Date.parse(ims);
  const modified = Date.parse(lastModified);
  return Number.isFinite(since) && Number.isFinite(modified) && modified <= since;
}

/** Client conditional fields, taken off a request so the origin produces a full response. */
const CONDITIONALS = ['if-none-match', 'if-modified-since'] as const;

export type Conditionals = Partial<Record<(typeof CONDITIONALS)[number], string | string[]>>;

export function takeConditionals(req: CacheRequest): Conditionals {
  const taken: Conditionals = {};
  for (const name of CONDITIONALS) {
    const value = req.headers[name];
    if (value !== undefined) {
      taken[name] = value;
      delete req.headers[name];
    }
  }
  return taken;
}

export function restoreConditionals(req: CacheRequest, taken: Conditionals): void {
  for (const name of CONDITIONALS) {
    if (taken[name] === undefined) delete req.headers[name];
    else req.headers[name] = taken[name] as string;
  }
}
