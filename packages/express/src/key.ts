import { sha256, storeKey, toHex } from '@momento-http/core';
import type { CacheRequest } from './types';

/** Hex SHA-256: one-way, so varied values (Cookie, Authorization…) are never stored in clear. */
const digest = (text: string): string => toHex(sha256(text));

interface ExpressAppLike {
  get?: (setting: string) => unknown;
}

/**
 * The host the response was produced for.
 *
 * The trust model: `X-Forwarded-Host` is an unkeyed input unless the app trusts its proxy. With
 * Express's `trust proxy` set, Express's own `req.hostname` (which reads `X-Forwarded-Host` only from
 * trusted peers) is both what the app sees and what the key uses. Without it, the key uses the
 * `Host` header, and `req.hostname` ignores `X-Forwarded-Host` too, so a forged header can neither
 * change the key nor what the app renders.
 */
export function requestHost(req: CacheRequest): string {
  const app = req.app as ExpressAppLike | undefined;
  const trusted = typeof app?.get === 'function' && Boolean(app.get('trust proxy'));
  const host = trusted && req.hostname ? req.hostname : req.headers.host;
  return (host ?? '').toLowerCase();
}

/** 'https' or 'http': Express's `req.protocol` (which honours `trust proxy`), else the socket. */
export function requestProtocol(req: CacheRequest): string {
  if (typeof req.protocol === 'string') return req.protocol;
  return (req.socket as { encrypted?: boolean } | undefined)?.encrypted ? 'https' : 'http';
}

/** The default URL part of a key: `<protocol>://<host><originalUrl>`. */
export function defaultUrlKey(req: CacheRequest): string {
  return `${requestProtocol(req)}://${requestHost(req)}${req.originalUrl ?? req.url ?? '/'}`;
}

/**
 * The primary key: GET and HEAD share it, because HEAD is served from the stored GET. Core's
 * `storeKey` keeps it as is up to 1 KiB and hashes longer ones.
 */
export function primaryKey(prefix: string, urlKey: string): string {
  return `${prefix}${storeKey(`GET|${urlKey}`)}`;
}

/**
 * RFC 9111 §4.1 allows normalising varied values when it keeps their meaning: whitespace around
 * commas is dropped, Accept-Language is compared without case (not reordered: among equal weights
 * a server may prefer the first). Accept-Encoding is
 * a set (order carries no preference; q-values do), so `br, gzip` and `gzip,br` share a variant:
 * any variant stored for the same set is one the client accepts.
 */
function normalize(name: string, value: string): string {
  // Whitespace around list commas carries nothing (RFC 9110 §5.6.1); language tags ignore case.
  if (name === 'accept-language')
    return value
      .toLowerCase()
      .replace(/\s*,\s*/g, ',')
      .trim();
  if (name !== 'accept-encoding') return value.replace(/\s*,\s*/g, ',').trim();
  return value
    .toLowerCase()
    .split(',')
    .map((token) => token.replace(/\s+/g, ''))
    .filter(Boolean)
    .sort()
    .join(',');
}

/** The values of the request headers a response varies on, as one comparable string. */
export function varyValues(req: CacheRequest, fields: readonly string[]): string {
  return JSON.stringify(
    fields.map((name) => {
      const value = headerValue(req, name);
      return value === undefined ? null : normalize(name, value);
    }),
  );
}

/** A request header as one string (repeated headers joined with ', '), or undefined. */
export function headerValue(req: CacheRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Key of one variant: the primary key, the spec's generation and a digest of the varied values. */
export function variantKey(primary: string, gen: string, values: string): string {
  return `${primary}|v|${gen}|${digest(values)}`;
}

/** A short one-way digest, so varied values (Cookie, Authorization…) are never stored in clear. */
export function headerDigest(value: string): string {
  return digest(value);
}

export function newGeneration(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(9)));
}

/** Parses a `Vary` header into lower-case field names; `['*']` for `Vary: *`. */
export function parseVary(vary: string | string[] | number | undefined): string[] {
  if (vary === undefined) return [];
  const text = Array.isArray(vary) ? vary.join(',') : String(vary);
  const fields = text
    .split(',')
    .map((f) => f.trim().toLowerCase())
    .filter(Boolean);
  return fields.includes('*') ? ['*'] : [...new Set(fields)];
}
