import { clientHasCurrent, notModifiedHeaders } from './headers';
import type { CacheRequest, CacheResponse, Entry, StoredHeaders } from './types';

/** The X-Cache states this middleware reports. */
export type CacheState = 'HIT' | 'MISS' | 'STALE';

/**
 * Sets the stored headers (plus Age and the status header) on `res` and returns the status to
 * send: the stored one, or 304 when the stored response is a 200 the client already has.
 */
export function prepareEntryHead(
  req: CacheRequest,
  res: CacheResponse,
  entry: Pick<Entry, 'status' | 'headers' | 'body'>,
  age: number,
  state: CacheState,
  statusHeader: string | undefined,
): { status: number; body: Uint8Array | undefined } {
  const notModified = entry.status === 200 && clientHasCurrent(req, entry.headers);
  const headers: StoredHeaders = notModified ? notModifiedHeaders(entry.headers) : entry.headers;
  for (const name in headers) res.setHeader(name, headers[name] as string | string[]);
  if (!notModified && entry.status !== 204 && entry.status !== 304) {
    // The stored body is complete, so its length is known (and right for HEAD too).
    res.setHeader('content-length', entry.body.byteLength);
  }
  res.setHeader('age', String(Math.max(0, Math.floor(age))));
  if (statusHeader) res.setHeader(statusHeader, state);
  const status = notModified ? 304 : entry.status;
  const noBody = notModified || status === 204 || status === 304 || req.method === 'HEAD';
  return { status, body: noBody ? undefined : entry.body };
}

/** Answers the request from a stored entry. */
export function serveEntry(
  req: CacheRequest,
  res: CacheResponse,
  entry: Entry,
  age: number,
  state: CacheState,
  statusHeader: string | undefined,
): void {
  const { status, body } = prepareEntryHead(req, res, entry, age, state, statusHeader);
  res.statusCode = status;
  res.end(body);
}

/** RFC 9111 §5.2.1.7: `only-if-cached` and nothing usable stored. */
export function gatewayTimeout(res: CacheResponse, state: CacheState, statusHeader?: string): void {
  res.statusCode = 504;
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  if (statusHeader) res.setHeader(statusHeader, state);
  res.end('Gateway Timeout: not in cache (only-if-cached)');
}
