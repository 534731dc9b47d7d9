import {
  type CacheStore,
  DEFAULT_CACHE_NAME,
  DEFAULT_MAX_TTL_SECONDS,
  type MomentoClient,
} from '@momento-http/core';

/** Near cache (in-process L1) settings. */
export interface NearCacheSettings {
  /** Byte bound of the in-process cache. @default 16 MiB */
  maxBytes?: number;
  /**
   * How long an entry is served from process memory before the store is asked again. With
   * `coherence: 'topics'` other instances' writes, deletes and evictions are seen within
   * milliseconds and this only bounds memory; with `'ttl'` they are seen after this long.
   * @default 30000 with topics, 1000 with 'ttl'
   */
  ttlMs?: number;
  /**
   * How other instances' changes reach the near caches (cache-manager's values and
   * `HttpCacheInterceptor`'s responses): `'topics'` (announced on Momento topics named after the
   * cache and `namespace`; entries live up to `ttlMs` while the subscription is healthy, at most
   * 1 s otherwise) or `'ttl'` (entries expire after `ttlMs`). A `store` without topics uses
   * `'ttl'` (reported once when `'topics'` was asked for).
   * @default 'topics'
   */
  coherence?: 'topics' | 'ttl';
}

/** Settings of {@link HttpCacheInterceptor}. */
export interface HttpCacheSettings {
  /**
   * Request headers whose values (SHA-256 hashed, never stored in clear) become part of the key, so
   * two users never share an entry. Lower-case names.
   * @default ['authorization']
   */
  varyByHeaders?: string[];
  /** Response statuses that are stored. @default every 2xx */
  cacheableStatuses?: (status: number) => boolean;
  /**
   * This cache's name in the RFC 9211 `Cache-Status` field added to every response the
   * interceptor handles (`momento-http; hit; ttl=42`, `momento-http; fwd=uri-miss`); `false` to
   * send none.
   * @default 'momento-http'
   */
  cacheStatus?: string | false;
}

/** Where the module reports store failures (replacing the default: one Logger warning per cause). */
export type MomentoCacheErrorHandler = (
  error: unknown,
  context: { operation: string; key?: string },
) => void;

/**
 * Options of {@link MomentoCacheModule}. TTLs are in **milliseconds**, as everywhere in
 * `@nestjs/cache-manager` and cache-manager 7; they are rounded up to Momento's whole seconds.
 */
export interface MomentoCacheModuleOptions {
  /** The client to use. @default createClient() from MOMENTO_API_KEY / MOMENTO_ENDPOINT */
  client?: MomentoClient;
  /** A store to use instead of a client (tests, or a store already wrapped by the toolkit). */
  store?: CacheStore;
  /** Momento cache name. @default process.env.MOMENTO_CACHE_NAME ?? 'default-cache' */
  cacheName?: string;
  /** Keyv namespace: keys are stored as `<namespace>:<key>`. @default 'nest' */
  namespace?: string;
  /** Default TTL in ms for every entry without `@CacheTTL`; 0 = no expiry. @default undefined (uses `defaultTtlSeconds`) */
  ttl?: number;
  /** TTL for entries with no TTL at all ("never expires" in cache-manager terms). @default 3600 */
  defaultTtlSeconds?: number;
  /** Upper bound for every TTL (Momento on-demand caches allow 24 h). @default 86400 */
  maxTtlSeconds?: number;
  /**
   * Deadline of one cache operation, in ms: a response lookup (entry and tags together), a
   * response write, an `@CacheEvict` (tags and keys together), and each read, write and eviction
   * of `@Cacheable` / `@CachePut` / `@CacheInvalidate`. A slower one counts as a miss.
   * @default 1000
   */
  timeoutMs?: number;
  /** In-process L1 in front of Momento: `true` for the defaults. @default false */
  nearCache?: boolean | NearCacheSettings;
  /** Register the module globally. @default false */
  isGlobal?: boolean;
  /** Passed to cache-manager: refresh entries in the background when less than this (ms) is left. */
  refreshThreshold?: number;
  /** Passed to cache-manager: do not await store writes. @default false */
  nonBlocking?: boolean;
  /** {@link HttpCacheInterceptor} settings. */
  http?: HttpCacheSettings;
  /**
   * Tag namespace (core's `tagKeyPrefix`): packages given the same one (or none) share tags, so
   * one purge of `product:1` reaches all of them; apps on one cache that must not purge each
   * other's entries give different ones. @default the shared namespace
   */
  tagNamespace?: string;
  /**
   * Raw prefix of the tag keys.
   * @deprecated Use `tagNamespace`: a raw prefix can collide with another namespace's keys.
   * @default '__tag__|'
   */
  tagPrefix?: string;
  /**
   * Store failures go here (reads still count as misses, writes are dropped). Giving it replaces
   * the default report: each distinct cause logged once per process as a warning through Nest's
   * `Logger` (context `MomentoCacheModule`); `() => {}` silences it.
   * @default one Logger warning per cause and process
   */
  onError?: MomentoCacheErrorHandler;
}

export const DEFAULT_NAMESPACE = 'nest';
/** Core's: the cache used when neither the options nor MOMENTO_CACHE_NAME name one. */
export { DEFAULT_CACHE_NAME };
export const DEFAULT_TTL_SECONDS = 3600;
/** Core's: Momento on-demand allows 24 h. */
export { DEFAULT_MAX_TTL_SECONDS };
export const DEFAULT_TIMEOUT_MS = 1000;
export const DEFAULT_VARY_BY_HEADERS: readonly string[] = ['authorization'];
export const DEFAULT_TAG_PREFIX = '__tag__|';
/** This cache's name in `Cache-Status` (RFC 9211), as the Express middleware's. */
export const DEFAULT_CACHE_STATUS_NAME = 'momento-http';
