import { Deadline, InvalidArgumentError } from '@momento-http/core';
import { defaultUrlKey, primaryKey, requestHost, requestProtocol } from './key';
import type { NormalizedOptions } from './options';
import type { CacheRequest, CacheResponse } from './types';

/** Methods that never invalidate (RFC 9110 §9.2.1 safe methods). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

export const isUnsafe = (method: string | undefined): boolean => !SAFE_METHODS.has(method ?? 'GET');

/** A minimal request for `keyGenerator` when a key is needed for a URL rather than a request. */
function requestFor(base: CacheRequest | undefined, url: URL): CacheRequest {
  const path = `${url.pathname}${url.search}`;
  if (base) {
    return Object.create(base, {
      method: { value: 'GET' },
      url: { value: path },
      originalUrl: { value: path },
    }) as CacheRequest;
  }
  return {
    method: 'GET',
    url: path,
    originalUrl: path,
    protocol: url.protocol.slice(0, -1),
    hostname: url.hostname,
    headers: { host: url.host },
  } as unknown as CacheRequest;
}

/** The primary key of an absolute URL (what `purge({ urls })` and invalidation delete). */
export function keyForUrl(
  options: NormalizedOptions,
  url: URL,
  base?: CacheRequest,
): string | undefined {
  const req = requestFor(base, url);
  const urlKey = options.keyGenerator
    ? options.keyGenerator(req)
    : base
      ? defaultUrlKey(req)
      : `${url.protocol.slice(0, -1)}://${url.host.toLowerCase()}${url.pathname}${url.search}`;
  return urlKey ? primaryKey(options.keyPrefix, urlKey) : undefined;
}

/** Parses `purge({ urls })`: absolute http(s) URLs only, since the host is part of every key. */
export function parsePurgeUrl(value: unknown): URL {
  if (typeof value !== 'string') {
    throw new InvalidArgumentError(`purge urls must be strings, got ${typeof value}`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(
      `purge urls must be absolute (the host is part of the key), got ${JSON.stringify(value)}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError(`purge urls must be http(s), got ${url.protocol}`);
  }
  return url;
}

/**
 * RFC 9111 §4.4: after a non-error response to an unsafe method, the target URI, and the
 * Location and Content-Location URIs when they are on the same origin, are invalidated.
 * Returns the primary keys to delete.
 */
export function invalidatedKeys(
  options: NormalizedOptions,
  req: CacheRequest,
  res: CacheResponse,
): string[] {
  if (res.statusCode < 200 || res.statusCode >= 400) return [];
  const origin = `${requestProtocol(req)}://${requestHost(req) || 'localhost'}`;
  const target = new URL(req.originalUrl ?? req.url ?? '/', origin);
  const urls = [target];
  for (const name of ['location', 'content-location']) {
    const value = res.getHeader(name);
    if (typeof value !== 'string') continue;
    try {
      const url = new URL(value, target);
      if (url.origin === target.origin) urls.push(url);
    } catch {
      // Not a URL: nothing to invalidate.
    }
  }
  const keys = new Set<string>();
  for (const url of urls) {
    const key = keyForUrl(options, url, req);
    if (key) keys.add(key);
  }
  return [...keys];
}

/**
 * RFC 9111 §4.4 for an unsafe request: once the handler starts sending a 2xx/3xx response, its
 * URL (and Location / Content-Location) are invalidated before any of the response goes out
 * (waiting at most `readTimeoutMs`; the deletes go on after that), so the client's next GET, on any
 * instance, does not get the old entry. Holding back only `end` is not enough: a body written
 * before it already completes a response with a Content-Length.
 */
export function invalidateOnEnd(
  options: NormalizedOptions,
  req: CacheRequest,
  res: CacheResponse,
  invalidate: (keys: string[]) => Promise<unknown>,
): void {
  const write = res.write as (...a: unknown[]) => boolean;
  const end = res.end as (...a: unknown[]) => CacheResponse;
  let state: 'idle' | 'waiting' | 'done' = 'idle';
  const queued: [(...a: unknown[]) => unknown, unknown[]][] = [];
  const release = () => {
    state = 'done';
    for (const [call, args] of queued.splice(0)) call.apply(res, args);
  };
  const start = () => {
    state = 'waiting';
    let keys: string[] = [];
    try {
      keys = invalidatedKeys(options, req, res);
    } catch (error) {
      options.onError(error, 'delete');
    }
    if (keys.length === 0) return release();
    const deadline = new Deadline(options.readTimeoutMs, { operation: 'express invalidation' });
    void deadline.raceOr(invalidate(keys), undefined).then(release);
  };
  res.write = function (this: CacheResponse, ...args: unknown[]) {
    if (state === 'done') return write.apply(this, args);
    queued.push([write, args]);
    if (state === 'idle') start();
    return true;
  } as CacheResponse['write'];
  res.end = function (this: CacheResponse, ...args: unknown[]) {
    if (state === 'done') return end.apply(this, args);
    queued.push([end, args]);
    if (state === 'idle') start();
    return this;
  } as CacheResponse['end'];
}
