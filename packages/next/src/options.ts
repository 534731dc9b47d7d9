import {
  type CacheStore,
  DEFAULT_MAX_ITEM_BYTES,
  DEFAULT_MAX_TTL_SECONDS,
  type MomentoClient,
  type NearCacheOptions,
} from '@momento-http/core';

/** Options shared by {@link createIsrHandler} and {@link createUseCacheHandler}. */
export interface NextCacheOptions {
  /** A ready store (e.g. `createMemoryStore()` in tests). Takes precedence over `client`. */
  store?: CacheStore;
  /** A Momento client; the handler uses `client.cache(cacheName)`. @default createClient() from env */
  client?: MomentoClient;
  /** Cache name. @default process.env.MOMENTO_CACHE_NAME ?? 'default-cache' */
  cacheName?: string;
  /**
   * Prefix of ISR page, route, redirect and image keys. Keys of one deployment must not be read
   * by another, so it defaults to the build id (`<distDir>/BUILD_ID`).
   * @default the build id, or 'dev' when it cannot be read
   */
  keyPrefix?: string;
  /** Prefix of every key this package writes (entries and tags). @default 'next|' */
  namespace?: string;
  /** Deadline of a read (entry and tags); past it the read is a miss. @default 1500 */
  getTimeoutMs?: number;
  /** Deadline of a write, including chunked ones. @default 10000 */
  setTimeoutMs?: number;
  /** Longest TTL written, in seconds (Momento on-demand allows 24 h). @default 86400 */
  maxTtlSeconds?: number;
  /** Momento's item limit (key + value); larger entries are compressed, then chunked. @default 5_000_000 */
  maxItemBytes?: number;
  /** Entries larger than this are gzip-compressed when that shrinks them. @default 1_000_000 */
  compressAboveBytes?: number;
  /**
   * In-process near cache of decoded entries and tag states (`true` for the defaults: `ttlMs`
   * 1000, `maxBytes` 16 MiB; `sizeOf` is ignored). Reads within its TTL skip the network and the
   * decode, so another instance's write or revalidation is seen at most `ttlMs` late; this
   * instance's own are seen at once.
   * @default false
   */
  nearCache?: boolean | NearCacheOptions;
  /**
   * After a connection failure, reads and writes are skipped (miss / no-op) for this long, so an
   * unreachable cache costs one timeout, not one per request. Tag updates are never skipped.
   * @default 2000
   */
  circuitBreakMs?: number;
  /** Called with every swallowed error (the library never logs). */
  onError?: (error: unknown, operation: string) => void;
}

/** {@link NextCacheOptions} with every default applied. */
export interface ResolvedOptions {
  store?: CacheStore;
  client?: MomentoClient;
  cacheName: string;
  keyPrefix?: string;
  namespace: string;
  getTimeoutMs: number;
  setTimeoutMs: number;
  maxTtlSeconds: number;
  maxItemBytes: number;
  compressAboveBytes: number;
  nearCache: false | NearCacheOptions;
  circuitBreakMs: number;
  onError: (error: unknown, operation: string) => void;
}

export const DEFAULT_CACHE_NAME = 'default-cache';
export const DEFAULT_NAMESPACE = 'next|';
export const DEFAULT_GET_TIMEOUT_MS = 1500;
export const DEFAULT_SET_TIMEOUT_MS = 10_000;
/** Core's: Momento's item limit, key + value. */
export { DEFAULT_MAX_ITEM_BYTES };
export const DEFAULT_COMPRESS_ABOVE_BYTES = 1_000_000;
export const DEFAULT_CIRCUIT_BREAK_MS = 2000;

const positive = (name: string, value: number | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new TypeError(`@momento-http/next: ${name} must be a positive number, got ${value}`);
  }
  return value;
};

/** Applies the defaults once; the caller's object is not modified. */
export function resolveOptions(options: NextCacheOptions = {}): ResolvedOptions {
  const env = globalThis.process?.env ?? {};
  return {
    store: options.store,
    client: options.client,
    cacheName:
      options.cacheName ?? options.store?.cacheName ?? env.MOMENTO_CACHE_NAME ?? DEFAULT_CACHE_NAME,
    keyPrefix: options.keyPrefix,
    namespace: options.namespace ?? DEFAULT_NAMESPACE,
    getTimeoutMs: positive('getTimeoutMs', options.getTimeoutMs, DEFAULT_GET_TIMEOUT_MS),
    setTimeoutMs: positive('setTimeoutMs', options.setTimeoutMs, DEFAULT_SET_TIMEOUT_MS),
    maxTtlSeconds: Math.min(
      positive('maxTtlSeconds', options.maxTtlSeconds, DEFAULT_MAX_TTL_SECONDS),
      DEFAULT_MAX_TTL_SECONDS,
    ),
    maxItemBytes: positive('maxItemBytes', options.maxItemBytes, DEFAULT_MAX_ITEM_BYTES),
    compressAboveBytes: positive(
      'compressAboveBytes',
      options.compressAboveBytes,
      DEFAULT_COMPRESS_ABOVE_BYTES,
    ),
    nearCache:
      options.nearCache === true ? {} : options.nearCache ? { ...options.nearCache } : false,
    circuitBreakMs: options.circuitBreakMs ?? DEFAULT_CIRCUIT_BREAK_MS,
    onError: options.onError ?? (() => {}),
  };
}
