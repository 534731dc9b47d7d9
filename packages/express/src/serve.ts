import { type CacheStatus, setCacheStatus } from './cache-status';
import { clientHasCurrent, notModifiedHeaders } from './headers';
import type { NormalizedOptions } from './options';
import { answerRange } from './range';
import type { CacheRequest, CacheResponse, Entry, StoredHeaders } from './types';

/** The X-Cache states this middleware reports. */
export type CacheState = 'HIT' | 'MISS' | 'STALE';

/** What the middleware reports about a response: X-Cache's state and the Cache-Status member. */
export interface Outcome {
  state: CacheState;
  status: CacheStatus;
}

type ServeOptions = Pick<
  NormalizedOptions,
  'statusHeader' | 'cacheStatus' | 'removeTargetedFields'
>;

/** Sets X-Cache (or its configured name) and Cache-Status, each unless turned off. */
export function reportOutcome(res: CacheResponse, outcome: Outcome, options: ServeOptions): void {
  if (options.statusHeader) res.setHeader(options.statusHeader, outcome.state);
  setCacheStatus(res, options.cacheStatus, outcome.status);
}

/**
 * Sets the stored headers (plus Age, X-Cache and Cache-Status) on `res` and returns the status to
 * send: the stored one, or 304 when the stored response is a 200 the client already has.
 */
export function prepareEntryHead(
  req: CacheRequest,
  res: CacheResponse,
  entry: Pick<Entry, 'status' | 'headers' | 'body' | 'storedAt'>,
  age: number,
  outcome: Outcome,
  options: ServeOptions,
): { status: number; body: Uint8Array | undefined } {
  const notModified = entry.status === 200 && clientHasCurrent(req, entry.headers, entry.storedAt);
  const headers: StoredHeaders = notModified ? notModifiedHeaders(entry.headers) : entry.headers;
  for (const name in headers) {
    if (!options.removeTargetedFields.includes(name)) {
      res.setHeader(name, headers[name] as string | string[]);
    }
  }
  // A Range request is answered from what is stored (RFC 9111 §3.4, RFC 9110 §14.2).
  const answer = notModified ? undefined : answerRange(entry, req.headers.range);
  const range = answer?.kind === 'part' ? answer : undefined;
  const body = range ? range.body : entry.body;
  if (range) res.setHeader('content-range', range.contentRange);
  if (!notModified && entry.status !== 204 && entry.status !== 304) {
    // The stored body is complete, so its length is known (and right for HEAD too).
    res.setHeader('content-length', body.byteLength);
  }
  res.setHeader('age', String(Math.max(0, Math.floor(age))));
  reportOutcome(res, outcome, options);
  const status = notModified ? 304 : range ? 206 : entry.status;
  const noBody = notModified || status === 204 || status === 304 || req.method === 'HEAD';
  return { status, body: noBody ? undefined : body };
}

/** Answers the request from a stored entry. */
export function serveEntry(
  req: CacheRequest,
  res: CacheResponse,
  entry: Entry,
  age: number,
  outcome: Outcome,
  options: ServeOptions,
): void {
  const { status, body } = prepareEntryHead(req, res, entry, age, outcome, options);
  res.statusCode = status;
  res.end(body);
}

/** RFC 9111 §5.2.1.7: `only-if-cached` and nothing usable stored. */
export function gatewayTimeout(res: CacheResponse, options: ServeOptions): void {
  res.statusCode = 504;
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  reportOutcome(res, { state: 'MISS', status: { detail: 'only-if-cached' } }, options);
  res.end('Gateway Timeout: not in cache (only-if-cached)');
}
