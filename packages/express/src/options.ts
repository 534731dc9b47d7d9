import type {
  CacheStore,
  MomentoClient,
  NearCoherence,
  NearCoherenceSettings,
} from '@momento-http/core';
import {
  CacheStats,
  createFailureReporter,
  DEFAULT_MAX_TTL_SECONDS,
  InvalidArgumentError,
  isCacheStatusName,
  resolveCacheTarget,
  resolveNearCoherence,
  tagKeyPrefix,
  withStats,
} from '@momento-http/core/node';
import { toErrorHandler } from './error-handler';
import { DEFAULT_TARGETED_FIELDS } from './targeted';
import type { CacheRequest } from './types';

/** Statuses stored by default (see {@link defaultStatuses} for which and why). */
export const DEFAULT_STATUSES: readonly number[] = defaultStatuses();
/** A cache read slower than this is a miss. */
export const DEFAULT_READ_TIMEOUT_MS = 250;
/** Deadline of a cache write (fire-and-forget; failures go to `onError`). */
export const DEFAULT_WRITE_TIMEOUT_MS = 5000;
/** Bodies larger than this pass through uncached. */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Upper bound on any entry's lifetime in the cache (core's: Momento on-demand allows 24 h). */
export { DEFAULT_MAX_TTL_SECONDS };
/** How long concurrent misses wait for the first one's response before going to the origin. */
export const DEFAULT_LOCK_TIMEOUT_MS = 5000;
/** Prefix of every key this middleware writes. */
export const DEFAULT_KEY_PREFIX = 'http-cache|';
/** How long a stale entry is kept for revalidation or for serving while the origin is down. */
export const DEFAULT_KEEP_SECONDS = 600;
/** This cache's name in `Cache-Status` (RFC 9211). */
export const DEFAULT_CACHE_STATUS_NAME = 'momento-http';

/** Where a cache failure happened, as given to `onError`. */
export type CacheOperation =
  | 'read'
  | 'write'
  | 'delete'
  | 'purge'
  | 'refresh'
  | 'tags'
  /** The near cache's invalidation bus (topics refused, a malformed message, a lost subscription). */
  | 'coherence';

/** The near cache's options. */
export interface NearCacheOption {
  /** Upper bound on the bytes held in memory. @default 16 MiB */
  maxBytes?: number;
  /**
   * How long an entry may be served from memory, in ms. With `coherence: 'topics'` writes and
   * purges in other instances are seen within milliseconds and this only bounds memory; with
   * `'ttl'` they are seen after this long. @default 30000 with topics, 1000 with 'ttl'
   */
  ttlMs?: number;
  /**
   * How other instances' writes and purges reach this near cache: `'topics'` (announced on a
   * Momento topic named after the cache and `keyPrefix`; while that subscription is healthy
   * entries live up to `ttlMs`, otherwise at most 1 s) or `'ttl'` (entries expire after `ttlMs`).
   * A `store` without topics uses `'ttl'` (reported once when `'topics'` was asked for).
   * @default 'topics'
   */
  coherence?: NearCoherence;
}

/** Options of {@link responseCache}. Every field is optional. */
export interface ResponseCacheOptions {
  /** The cache to use. @default `client.cache(cacheName)` */
  store?: CacheStore;
  /** A client whose `cache(cacheName)` is used when no `store` is given. @default createClient() from MOMENTO_API_KEY / MOMENTO_ENDPOINT */
  client?: MomentoClient;
  /** @default process.env.MOMENTO_CACHE_NAME ?? 'default-cache' */
  cacheName?: string;
  /** Prefix of every entry key, so several apps can share one cache. @default 'http-cache|' */
  keyPrefix?: string;
  /**
   * Tag namespace (core's `tagKeyPrefix`): packages given the same one (or none) share tags, so
   * one purge of `product:1` reaches all of them; apps on one cache that must not purge each
   * other's entries give different ones. @default the shared namespace
   */
  tagNamespace?: string;
  /**
   * Replaces the URL part of the key (`<protocol>://<host><originalUrl>`). Return `undefined` to
   * not cache this request. The method class and `Vary` are still added. It is also called with a
   * minimal request (`method`, `url`, `originalUrl`, `headers.host`) for URL invalidation.
   * @default the protocol, host and original URL (host trust: see the README)
   */
  keyGenerator?: (req: CacheRequest) => string | undefined;
  /** Statuses that may be stored (each still needs explicit freshness). @default DEFAULT_STATUSES */
  statuses?: readonly number[];
  /**
   * Fraction of the time since `Last-Modified` used as freshness when a response has no explicit
   * freshness (RFC 9111 §4.2.2). @default 0 (off: only explicit freshness is cached)
   */
  cacheHeuristic?: number;
  /**
   * Freshness in seconds for responses that carry no explicit freshness (no `max-age`, `s-maxage`
   * or `Expires`) and nothing forbidding storage, as if they said `s-maxage=N`. The headers sent are
   * unchanged. @default undefined (off)
   */
  defaultTtlSeconds?: number;
  /** Upper bound of an entry's lifetime, in seconds. @default 86400 */
  maxTtlSeconds?: number;
  /**
   * Extra seconds an entry is kept once stale: revalidated with a conditional request when it has
   * a validator (`ETag` / `Last-Modified`), served under a request's `max-stale`, or served when the
   * origin cannot be reached (502/504, RFC 9111 §4.2.4). `0` drops entries when they go stale.
   * @default 600
   */
  keepSeconds?: number;
  /** Larger bodies pass through uncached. @default 10 MiB */
  maxBodyBytes?: number;
  /** A cache read slower than this is a miss. @default 250 */
  readTimeoutMs?: number;
  /** @default 5000 */
  writeTimeoutMs?: number;
  /** Concurrent misses of one key make one origin call. @default true */
  singleFlight?: boolean;
  /** How long a concurrent miss waits for the first one before calling the origin itself. @default 5000 */
  lockTimeoutMs?: number;
  /**
   * After `failures` consecutive failed or slow reads, the cache is not asked at all (every request
   * is a miss, nothing is written) for `cooldownMs`; then one read tries again. `false` to disable.
   * @default { failures: 5, cooldownMs: 5000 }
   */
  circuitBreaker?: false | { failures?: number; cooldownMs?: number };
  /**
   * Keep decoded entries in process memory (`true` for the defaults). Other instances' writes and
   * purges reach it over Momento Topics (see {@link NearCacheOption.coherence}). @default false
   */
  nearCache?: boolean | NearCacheOption;
  /** Name of the response header that says HIT, MISS or STALE; `false` to send none. @default 'X-Cache' */
  statusHeader?: string | false;
  /**
   * This cache's name in the RFC 9211 `Cache-Status` field added to every response the middleware
   * handles (`momento-http; hit; ttl=42`, `momento-http; fwd=uri-miss; stored`); `false` to send none.
   * @default 'momento-http'
   */
  cacheStatus?: string | false;
  /**
   * RFC 9213 targeted cache-control fields this cache obeys, most specific first: the first one
   * present with a valid value replaces `Cache-Control` and `Expires` for this cache. `[]` turns
   * targeted fields off. @default ['Momento-Cache-Control', 'CDN-Cache-Control']
   */
  targetedFields?: readonly string[];
  /**
   * Targeted fields aimed at this cache alone, removed from what the client receives (a CDN in
   * front still needs its `CDN-Cache-Control`, so that one is kept by default).
   * @default ['Momento-Cache-Control']
   */
  removeTargetedFields?: readonly string[];
  /** Requests for which the cache is bypassed entirely. @default none */
  skip?: (req: CacheRequest) => boolean;
  /**
   * Cache failures (reads, writes, purges). The request is never failed by them. The error is
   * usually one of core's `MomentoError` family (check `error instanceof MomentoError`, then
   * `error.code`); a value a custom `store` rejects with that is not an `Error` arrives wrapped,
   * as its `cause`. Giving it replaces the default report: each distinct cause printed once per
   * process with `console.warn` (what failed, the likely cause, the fix); `() => {}` silences it.
   * @default one console.warn per cause and process
   */
  onError?: ((error: Error, operation: CacheOperation) => void) | undefined;
}

/** The options after validation, with every default applied. */
export interface NormalizedOptions {
  /** The cache, its value bytes counted in `stats`. */
  store: CacheStore;
  /** What `stats()` returns: reads counted by the middleware, bytes by the store, errors by `onError`. */
  stats: CacheStats;
  keyPrefix: string;
  /** Prefix of every tag key, from `tagNamespace`. */
  tagKeyPrefix: string;
  keyGenerator: ((req: CacheRequest) => string | undefined) | undefined;
  statuses: ReadonlySet<number>;
  cacheHeuristic: number;
  defaultTtlSeconds: number | undefined;
  maxTtlSeconds: number;
  keepSeconds: number;
  maxBodyBytes: number;
  readTimeoutMs: number;
  writeTimeoutMs: number;
  singleFlight: boolean;
  lockTimeoutMs: number;
  nearCache: ({ maxBytes: number | undefined } & NearCoherenceSettings) | undefined;
  circuitBreaker: { failures: number; cooldownMs: number } | undefined;
  statusHeader: string | undefined;
  cacheStatus: string | undefined;
  /** Lower-case. */
  targetedFields: readonly string[];
  /** Lower-case. */
  removeTargetedFields: readonly string[];
  skip: ((req: CacheRequest) => boolean) | undefined;
  onError: (error: unknown, operation: CacheOperation) => void;
}

function number(
  value: number | undefined,
  name: string,
  fallback: number,
  { min = 0, integer = false }: { min?: number; integer?: boolean } = {},
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new InvalidArgumentError(`${name} must be a finite number >= ${min}, got ${value}`);
  }
  if (integer && !Number.isInteger(value)) {
    throw new InvalidArgumentError(`${name} must be a whole number, got ${value}`);
  }
  return value;
}

function fn<F>(value: F | undefined, name: string): F | undefined {
  if (value !== undefined && typeof value !== 'function') {
    throw new InvalidArgumentError(`${name} must be a function, got ${typeof value}`);
  }
  return value;
}

/** Validates `options` once and applies the defaults; the caller's object is not changed. */
export function normalizeOptions(options: ResponseCacheOptions = {}): NormalizedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('responseCache options must be an object');
  }
  const statuses = options.statuses ?? DEFAULT_STATUSES;
  for (const status of statuses) {
    if (!Number.isInteger(status) || status < 200 || status > 599) {
      throw new InvalidArgumentError(`statuses must hold final HTTP statuses, got ${status}`);
    }
  }
  const statusHeader = options.statusHeader ?? 'X-Cache';
  if (statusHeader !== false && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(statusHeader)) {
    throw new InvalidArgumentError(
      `statusHeader must be a header name or false, got ${statusHeader}`,
    );
  }
  const cacheStatus = options.cacheStatus ?? DEFAULT_CACHE_STATUS_NAME;
  if (cacheStatus !== false && !isCacheStatusName(cacheStatus)) {
    throw new InvalidArgumentError(
      `cacheStatus must be a structured-field token (e.g. 'momento-http') or false, got ${cacheStatus}`,
    );
  }
  const near = options.nearCache;
  const stats = new CacheStats();
  const target = resolveCacheTarget(options);
  return {
    store: withStats(target.store, stats),
    stats,
    keyPrefix: options.keyPrefix ?? DEFAULT_KEY_PREFIX,
    tagKeyPrefix: tagKeyPrefix(options.tagNamespace),
    keyGenerator: fn(options.keyGenerator, 'keyGenerator'),
    statuses: new Set(statuses),
    cacheHeuristic: number(options.cacheHeuristic, 'cacheHeuristic', 0),
    defaultTtlSeconds:
      options.defaultTtlSeconds === undefined
        ? undefined
        : number(options.defaultTtlSeconds, 'defaultTtlSeconds', 0, { min: 1, integer: true }),
    maxTtlSeconds: number(options.maxTtlSeconds, 'maxTtlSeconds', DEFAULT_MAX_TTL_SECONDS, {
      min: 1,
      integer: true,
    }),
    keepSeconds: number(options.keepSeconds, 'keepSeconds', DEFAULT_KEEP_SECONDS, {
      integer: true,
    }),
    maxBodyBytes: number(options.maxBodyBytes, 'maxBodyBytes', DEFAULT_MAX_BODY_BYTES),
    readTimeoutMs: number(options.readTimeoutMs, 'readTimeoutMs', DEFAULT_READ_TIMEOUT_MS, {
      min: 1,
    }),
    writeTimeoutMs: number(options.writeTimeoutMs, 'writeTimeoutMs', DEFAULT_WRITE_TIMEOUT_MS, {
      min: 1,
    }),
    singleFlight: options.singleFlight ?? true,
    lockTimeoutMs: number(options.lockTimeoutMs, 'lockTimeoutMs', DEFAULT_LOCK_TIMEOUT_MS),
    nearCache: nearCache(near, target.topics),
    circuitBreaker:
      options.circuitBreaker === false
        ? undefined
        : {
            failures: number(options.circuitBreaker?.failures, 'circuitBreaker.failures', 5, {
              min: 1,
              integer: true,
            }),
            cooldownMs: number(
              options.circuitBreaker?.cooldownMs,
              'circuitBreaker.cooldownMs',
              5000,
            ),
          },
    statusHeader: statusHeader === false ? undefined : statusHeader,
    cacheStatus: cacheStatus === false ? undefined : cacheStatus,
    targetedFields: fieldNames(options.targetedFields ?? DEFAULT_TARGETED_FIELDS, 'targetedFields'),
    removeTargetedFields: fieldNames(
      options.removeTargetedFields ?? ['Momento-Cache-Control'],
      'removeTargetedFields',
    ),
    skip: fn(options.skip, 'skip'),
    onError: createFailureReporter<CacheOperation>({
      adapter: 'express',
      onError: toErrorHandler(fn(options.onError, 'onError')),
      cacheName: target.cacheName,
      stats,
    }),
  };
}

/** The near cache's settings: validated, coherence decided (topics when the client has them). */
function nearCache(
  near: ResponseCacheOptions['nearCache'],
  topics: NearCoherenceSettings['topics'],
): NormalizedOptions['nearCache'] {
  if (near === undefined || near === false) return undefined;
  if (near !== true && (typeof near !== 'object' || near === null)) {
    throw new InvalidArgumentError('nearCache must be a boolean or { maxBytes, ttlMs, coherence }');
  }
  const given: NearCacheOption = near === true ? {} : near;
  const ttlMs =
    given.ttlMs === undefined ? undefined : number(given.ttlMs, 'nearCache.ttlMs', 0, { min: 1 });
  return {
    maxBytes:
      given.maxBytes === undefined
        ? undefined
        : number(given.maxBytes, 'nearCache.maxBytes', 0, { min: 1 }),
    ...resolveNearCoherence(given.coherence, ttlMs, topics),
  };
}

const FIELD_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** A list of header names, lower-cased. */
function fieldNames(value: readonly string[], name: string): string[] {
  if (!Array.isArray(value) || value.some((f) => typeof f !== 'string' || !FIELD_NAME.test(f))) {
    throw new InvalidArgumentError(`${name} must be an array of header names`);
  }
  return value.map((f) => f.toLowerCase());
}

/**
 * Every final status from 200 to 499, and 501, except: 206 and 304 (a 206 with one range is
 * stored as part of its 200; a 304 updates what is stored), 401, 403 and 407 (they answer who is
 * asking: one visitor's refusal must not be replayed to another) and 429 (a rate limit is per
 * client). 5xx but 501 are left out: a transient error stored for its `max-age` would outlast the
 * outage. Each one still needs explicit freshness (or `cacheHeuristic`, for the statuses RFC 9110
 * makes heuristically cacheable).
 */
function defaultStatuses(): number[] {
  const excluded = new Set([206, 304, 401, 403, 407, 429]);
  const statuses: number[] = [];
  for (let status = 200; status < 500; status++) {
    if (!excluded.has(status)) statuses.push(status);
  }
  statuses.push(501);
  return statuses;
}
