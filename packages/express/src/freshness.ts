import {
  type CacheControlDirectives,
  forbidsStale,
  parseCacheControl,
  toTtlSeconds,
} from '@momento-http/core';
import CachePolicy from 'http-cache-semantics';
import { headerDigest, headerValue, parseVary } from './key';
import type { NormalizedOptions } from './options';
import { policyHeaders } from './policy-headers';
import { storedRange } from './range';
import type { CacheRequest, Entry, StoredHeaders } from './types';

const seconds = (value: string | true | undefined): number | undefined => {
  if (value === undefined || value === true) return undefined;
  const n = Number.parseInt(value, 10);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
};

/**
 * The request headers the policy may keep: cache directives, whether Authorization was present
 * (never its value), and digests of the varied headers. `host` and the URL are left out on purpose:
 * the cache key already guarantees them, and a custom `keyGenerator` may merge URLs.
 */
export function policyRequest(req: CacheRequest, vary: readonly string[]) {
  const headers: Record<string, string> = {};
  for (const name of ['cache-control', 'pragma']) {
    const value = headerValue(req, name);
    if (value !== undefined) headers[name] = value;
  }
  if (req.headers.authorization !== undefined) headers.authorization = 'present';
  for (const name of vary) {
    const value = headerValue(req, name);
    if (value !== undefined) headers[name] = headerDigest(value);
  }
  return { method: 'GET', headers };
}

/** The result of {@link decideStorage} for a storable response. */
export interface StorageDecision {
  policy: CachePolicy;
  ttlSeconds: number;
}

const hasExplicitFreshness = (cc: CacheControlDirectives, headers: Record<string, string>) =>
  'max-age' in cc || 's-maxage' in cc || headers.expires !== undefined;

const hasValidator = (headers: Record<string, string>) =>
  headers.etag !== undefined || headers['last-modified'] !== undefined;

/** Whether `http-cache-semantics` stores a status at all (it has a fixed list), by status. */
const understood = new Map<number, boolean>();

/**
 * Whether this cache understands `status` (RFC 9111 §5.2.2.3 `must-understand`): one of the
 * statuses `http-cache-semantics` knows the rules of. A 206 with one range counts as its 200.
 */
function understands(status: number): boolean {
  if (status === 206) return true;
  let known = understood.get(status);
  if (known === undefined) {
    const probe = { status, headers: { 'cache-control': 'max-age=1' } };
    known = new CachePolicy({ method: 'GET', headers: {} }, probe, { shared: true }).storable();
    understood.set(status, known);
  }
  return known;
}

/**
 * The status `http-cache-semantics` evaluates a response as. Its list of understood statuses is
 * fixed (299, 400, 499 or 500 are never storable there), while RFC 9111 §3 lets a cache store
 * any final status with explicit freshness. A status it does not know is evaluated as a 307:
 * understood, and never heuristically fresh, so only explicit freshness stores it. (A 206 with
 * one range is evaluated as its 200.)
 */
function policyStatus(status: number): number {
  if (status === 206) return 200;
  return understands(status) ? status : 307;
}

/**
 * Whether a response may be stored, and for how long. RFC 9111 §3 through `http-cache-semantics`
 * (shared cache), plus this cache's stricter rules: never `Set-Cookie`, never `Vary: *`, only the
 * configured statuses, and only with a positive freshness lifetime (`storable()` alone is true for
 * responses that are stale on arrival) or as a `no-cache` response with a validator, kept
 * `keepSeconds` to be revalidated on every use.
 */
export function decideStorage(
  req: CacheRequest,
  status: number,
  headers: StoredHeaders,
  options: NormalizedOptions,
): StorageDecision | undefined {
  // A 206 with one byte range is part of a 200: stored when 200s are (RFC 9111 §3.3).
  const partial = status === 206;
  if (partial && !storedRange(headers['content-range'])) return undefined;
  if (!options.statuses.has(partial ? 200 : status)) return undefined;
  if (headers['set-cookie'] !== undefined) return undefined;
  const vary = parseVary(headers.vary);
  if (vary[0] === '*') return undefined;
  const flat = policyHeaders(headers, options.targetedFields);
  let cc = parseCacheControl(flat['cache-control']);
  if (cc['must-understand'] && cc['no-store'] && understands(status)) {
    // RFC 9111 §5.2.2.3: a cache that understands the status ignores the no-store that
    // must-understand is paired with for caches that do not. (It stores statuses it does not
    // understand, 299 say, only on explicit freshness without must-understand.)
    flat['cache-control'] = (flat['cache-control'] as string)
      .split(',')
      .filter((d) => d.trim().toLowerCase() !== 'no-store')
      .join(',');
    cc = parseCacheControl(flat['cache-control']);
  }
  if (
    options.defaultTtlSeconds !== undefined &&
    !hasExplicitFreshness(cc, flat) &&
    !cc['no-store'] &&
    !cc['no-cache'] &&
    !cc.private
  ) {
    // max-age, not s-maxage: a default must never unlock storing an authorized response (§3.5).
    const given = flat['cache-control'];
    flat['cache-control'] = `${given ? `${given}, ` : ''}max-age=${options.defaultTtlSeconds}`;
  }
  const policy = new CachePolicy(
    policyRequest(req, vary),
    { status: policyStatus(status), headers: flat },
    {
      shared: true,
      cacheHeuristic: options.cacheHeuristic,
      // The library mixes ms and seconds here (immutable alone would mean 1000 days); RFC 8246
      // `immutable` grants no freshness by itself, so give it none.
      immutableMinTimeToLive: 0,
    },
  );
  if (!policy.storable()) return undefined;
  let ttlMs = policy.timeToLive();
  if (!(ttlMs > 0)) {
    // RFC 9111 §5.2.2.4: a `no-cache` response may be stored if every use is validated first
    // (evaluateReuse and staleOnError never serve it otherwise). Worth it only with a validator:
    // the origin's 304 then replaces sending the body again.
    const revalidateEachUse = cc['no-cache'] === true && hasValidator(flat);
    if (!revalidateEachUse || options.keepSeconds <= 0) return undefined;
    ttlMs = 0;
  }
  // Kept past its freshness: revalidated with its validators, served under max-stale, or served
  // when the origin cannot be reached (RFC 9111 §4.2.4).
  ttlMs += options.keepSeconds * 1000;
  const maxTtlSeconds = options.maxTtlSeconds;
  return {
    policy,
    ttlSeconds: toTtlSeconds(ttlMs, { defaultTtlSeconds: maxTtlSeconds, maxTtlSeconds }),
  };
}

/** What to do with a stored entry for this request. */
export type Reuse =
  /** Fresh (or stale within the request's `max-stale`): serve it. */
  | { kind: 'fresh' | 'stale'; age: number }
  /** Stale within `stale-while-revalidate`: serve it and refresh in the background. */
  | { kind: 'swr'; age: number }
  /** Must be validated with the origin first. */
  | { kind: 'revalidate'; age: number };

/**
 * RFC 9111 §4 reuse rules, evaluated with the policy's age and freshness lifetime. Written out
 * rather than taken from `evaluateRequest`, which treats `must-revalidate` as "always revalidate"
 * even while fresh (the RFC only forbids serving it stale).
 */
export function evaluateReuse(policy: CachePolicy, entry: Entry, req: CacheRequest): Reuse {
  const age = policy.age();
  const maxAge = policy.maxAge();
  const reqCC = parseCacheControl(req.headers['cache-control']);
  const resCC = (entry.policy.rescc ?? {}) as CacheControlDirectives;
  const noCache =
    reqCC['no-cache'] !== undefined ||
    (req.headers['cache-control'] === undefined &&
      /no-cache/i.test(headerValue(req, 'pragma') ?? ''));
  if (noCache || resCC['no-cache']) return { kind: 'revalidate', age };
  const reqMaxAge = seconds(reqCC['max-age']);
  if (reqMaxAge !== undefined && age > reqMaxAge) return { kind: 'revalidate', age };
  const minFresh = seconds(reqCC['min-fresh']);
  if (minFresh !== undefined && maxAge - age < minFresh) return { kind: 'revalidate', age };
  if (maxAge > age) return { kind: 'fresh', age };
  if (forbidsStale(resCC)) return { kind: 'revalidate', age };
  const staleness = age - maxAge;
  const maxStale = reqCC['max-stale'];
  const allowedByClient =
    maxStale === true || (maxStale !== undefined && (seconds(maxStale) ?? -1) >= staleness);
  // s-maxage implies proxy-revalidate: no stale serving on the client's word alone. The origin's
  // own stale-while-revalidate (below) is explicit permission and still applies.
  if (allowedByClient && resCC['s-maxage'] === undefined) return { kind: 'stale', age };
  const swr = seconds(resCC['stale-while-revalidate']);
  if (swr !== undefined && staleness < swr) return { kind: 'swr', age };
  return { kind: 'revalidate', age };
}

/** Gateway errors: the application could not reach what is behind it (RFC 9111 §4.2.4 "disconnected"). */
const UNREACHABLE = new Set([502, 504]);

/**
 * May this stale entry be served because the origin failed with `status`? RFC 5861 §4
 * `stale-if-error` (response or request) for 500/502/503/504; and, without it, RFC 9111 §4.2.4 for
 * 502/504, which say the origin behind the application cannot be reached (the cache is
 * "disconnected"). Never when the entry forbids serving stale. Returns the Cache-Status detail.
 */
export function staleOnError(
  policy: CachePolicy,
  entry: Entry,
  req: CacheRequest,
  status: number,
): 'stale-if-error' | 'origin-unreachable' | undefined {
  const resCC = (entry.policy.rescc ?? {}) as CacheControlDirectives;
  if (forbidsStale(resCC)) return undefined;
  const staleness = policy.age() - policy.maxAge();
  const reqCC = parseCacheControl(req.headers['cache-control']);
  const window = Math.max(
    seconds(resCC['stale-if-error']) ?? -1,
    seconds(reqCC['stale-if-error']) ?? -1,
  );
  if (window >= 0 && staleness <= window) return 'stale-if-error';
  // Without explicit permission; s-maxage implies proxy-revalidate (RFC 9111 §5.2.2.10).
  const unreachable = UNREACHABLE.has(status) && resCC['s-maxage'] === undefined;
  return unreachable ? 'origin-unreachable' : undefined;
}
