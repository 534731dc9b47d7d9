import {
  type CacheStore,
  createFailureReporter,
  DEFAULT_CACHE_NAME,
  DEFAULT_MAX_ITEM_BYTES,
  DEFAULT_MAX_TTL_SECONDS,
  InvalidArgumentError,
  type MomentoClient,
  type NearCacheOptions,
  type NearCoherence,
  resolveCacheTarget,
  resolveNearCoherence,
} from '@momento-http/core';
import { processStats } from './stats';
import { nextTagKeyPrefix } from './tag-key-prefix';

/** Options shared by {@link createIsrHandler} and {@link createUseCacheHandler}. */
export interface NextCacheOptions {
  /** A ready store (e.g. `createMemoryStore()` in tests). Give `store` or `client`, not both. */
  store?: CacheStore;
  /** A Momento client; the handler uses `client.cache(cacheName)`. @default a client configured from env */
  client?: MomentoClient;
  /** Cache name. @default process.env.MOMENTO_CACHE_NAME ?? 'default-cache' */
  cacheName?: string;
  /**
   * Prefix of ISR page, route, redirect and image keys. Keys of one deployment must not be read
   * by another, so it defaults to the build id (`<distDir>/BUILD_ID`).
   * @default the build id, or 'dev' when it cannot be read
   */
  keyPrefix?: string;
  /** Prefix of every key this package writes (entries, and tags unless `tagNamespace` is given). @default 'next|' */
  namespace?: string;
  /**
   * Join a tag namespace shared with the other `@momento-http` packages (core's `tagKeyPrefix`):
   * a `revalidateTag('product:1')` then also purges Express/Nest responses and Keyv entries
   * tagged `product:1` in that namespace, and theirs purge these pages. Omitted, tags stay under
   * `<namespace>tag|` (never the build id: a deploy must not forget purges).
   * @default undefined (tags under `namespace`)
   */
  tagNamespace?: string;
  /** Deadline of one read (the entry and every tag it needs); past it the read is a miss. @default 1500 */
  getTimeoutMs?: number;
  /** Deadline of a write (including chunked ones) and of a revalidation. @default 10000 */
  setTimeoutMs?: number;
  /** Longest TTL written, in seconds (Momento on-demand allows 24 h). @default 86400 */
  maxTtlSeconds?: number;
  /** Momento's item limit (key + value); larger entries are compressed, then chunked. @default 5_000_000 */
  maxItemBytes?: number;
  /** Entries larger than this are gzip-compressed when that shrinks them. @default 1_000_000 */
  compressAboveBytes?: number;
  /**
   * In-process near cache of decoded entries and tag states (`true` for the defaults; `sizeOf` is
   * ignored). Reads within its TTL skip the network and the decode; this instance's own writes
   * and revalidations are seen at once. Other instances' are announced on a Momento topic named
   * after the cache and `namespace` (`coherence: 'topics'`, the default): while that subscription
   * is healthy entries live up to `ttlMs` (default 30 s), otherwise at most 1 s. With
   * `coherence: 'ttl'` (or a `store` without topics) they are seen at most `ttlMs` (default 1 s)
   * late. `next build` never subscribes.
   * @default false
   */
  nearCache?: boolean | NextNearCacheOptions;
  /**
   * After a connection failure, reads and writes are skipped (miss / no-op) for this long, so an
   * unreachable cache costs one timeout, not one per request. Tag updates are never skipped.
   * @default 2000
   */
  circuitBreakMs?: number;
  /**
   * Called with every swallowed error; giving it replaces the default report: each distinct cause
   * printed once per process with `console.warn`. `() => {}` silences it.
   * @default one console.warn per cause and process
   */
  onError?: (error: unknown, operation: string) => void;
}

/** The near cache's options: core's, plus how other instances' changes reach it. */
export interface NextNearCacheOptions extends NearCacheOptions {
  /** `'topics'` (announced changes; long-lived entries) or `'ttl'` (entries expire after `ttlMs`). @default 'topics' */
  coherence?: NearCoherence;
}

/** The near cache's settings, once resolved (sizes are the decoded sizes). */
export interface NearSettings {
  maxBytes?: number;
  ttlMs?: number;
  now?: () => number;
  coherence?: NearCoherence;
}

/** {@link NextCacheOptions} with every default applied. */
export interface ResolvedOptions {
  store: CacheStore | undefined;
  client: MomentoClient | undefined;
  cacheName: string | undefined;
  keyPrefix: string | undefined;
  namespace: string;
  /** Prefix of every tag key: `<namespace>tag|`, or core's `tagKeyPrefix(tagNamespace)`. */
  tagKeyPrefix: string;
  getTimeoutMs: number;
  setTimeoutMs: number;
  maxTtlSeconds: number;
  maxItemBytes: number;
  compressAboveBytes: number;
  nearCache: NearSettings | false;
  circuitBreakMs: number;
  onError: (error: unknown, operation: string) => void;
}

/** Core's: the cache used when neither the options nor the environment name one. */
export { DEFAULT_CACHE_NAME };
export const DEFAULT_NAMESPACE = 'next|';
export const DEFAULT_GET_TIMEOUT_MS = 1500;
export const DEFAULT_SET_TIMEOUT_MS = 10_000;
/** Core's: Momento's item limit, key + value. */
export { DEFAULT_MAX_ITEM_BYTES };
export const DEFAULT_COMPRESS_ABOVE_BYTES = 1_000_000;
export const DEFAULT_CIRCUIT_BREAK_MS = 2000;

/** Stands in for the client while the options are checked: no connection, no environment. */
const UNUSED_CLIENT = { cache: () => ({}) as CacheStore };

const positive = (name: string, value: unknown, fallback: number): number => {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(`${name} must be a positive number, got ${String(value)}`);
  }
  return value;
};

const atLeastZero = (name: string, value: unknown, fallback: number): number => {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError(`${name} must be a number >= 0, got ${String(value)}`);
  }
  return value;
};

const whole = (name: string, value: unknown, fallback: number): number => {
  const n = positive(name, value, fallback);
  if (!Number.isSafeInteger(n))
    throw new InvalidArgumentError(`${name} must be a whole number, got ${n}`);
  return n;
};

const text = (name: string, value: unknown): string | undefined => {
  if (value === undefined || typeof value === 'string') return value;
  throw new InvalidArgumentError(`${name} must be a string, got ${typeof value}`);
};

function nearSettings(value: NextCacheOptions['nearCache']): NearSettings | false {
  if (value === undefined || value === false) return false;
  if (value === true) return {};
  if (typeof value !== 'object' || value === null) {
    throw new InvalidArgumentError(`nearCache must be a boolean or an options object`);
  }
  const settings: NearSettings = {};
  if (value.maxBytes !== undefined)
    settings.maxBytes = positive('nearCache.maxBytes', value.maxBytes, 0);
  if (value.ttlMs !== undefined) settings.ttlMs = positive('nearCache.ttlMs', value.ttlMs, 0);
  if (value.coherence !== undefined) {
    // Checked now; what is in effect is decided once the store is known (does it have topics?).
    resolveNearCoherence(value.coherence, undefined, undefined);
    settings.coherence = value.coherence;
  }
  if (value.now !== undefined) {
    if (typeof value.now !== 'function')
      throw new InvalidArgumentError('nearCache.now must be a function');
    settings.now = value.now;
  }
  return settings;
}

/**
 * Applies the defaults once; the caller's object is not modified. Bad options throw core's
 * `InvalidArgumentError` naming the option. The store itself is resolved later, on first use
 * (`resolveCacheTarget`): importing a handler during `next build` without credentials must not throw.
 */
export function resolveOptions(options: NextCacheOptions = {}): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('options must be an object');
  }
  const { store, client, cacheName } = options;
  // Checks store/client/cacheName as the real resolution will, without the environment and
  // without creating a client (the node entry's resolveCacheTarget takes no client factory).
  const stand = store === undefined && client === undefined ? UNUSED_CLIENT : client;
  resolveCacheTarget({ store, client: stand, cacheName }, {});
  if (options.onError !== undefined && typeof options.onError !== 'function') {
    throw new InvalidArgumentError('onError must be a function');
  }
  const namespace = text('namespace', options.namespace) ?? DEFAULT_NAMESPACE;
  return {
    store,
    client,
    cacheName,
    keyPrefix: text('keyPrefix', options.keyPrefix),
    namespace,
    tagKeyPrefix: nextTagKeyPrefix(namespace, options.tagNamespace),
    getTimeoutMs: positive('getTimeoutMs', options.getTimeoutMs, DEFAULT_GET_TIMEOUT_MS),
    setTimeoutMs: positive('setTimeoutMs', options.setTimeoutMs, DEFAULT_SET_TIMEOUT_MS),
    maxTtlSeconds: Math.min(
      whole('maxTtlSeconds', options.maxTtlSeconds, DEFAULT_MAX_TTL_SECONDS),
      DEFAULT_MAX_TTL_SECONDS,
    ),
    maxItemBytes: positive('maxItemBytes', options.maxItemBytes, DEFAULT_MAX_ITEM_BYTES),
    compressAboveBytes: positive(
      'compressAboveBytes',
      options.compressAboveBytes,
      DEFAULT_COMPRESS_ABOVE_BYTES,
    ),
    nearCache: nearSettings(options.nearCache),
    circuitBreakMs: atLeastZero('circuitBreakMs', options.circuitBreakMs, DEFAULT_CIRCUIT_BREAK_MS),
    onError: createFailureReporter({
      adapter: 'next',
      onError: options.onError,
      cacheName,
      stats: processStats(),
    }),
  };
}
