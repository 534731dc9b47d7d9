import {
  CacheStats,
  type CacheStore,
  DEFAULT_CACHE_NAME,
  DEFAULT_MAX_ITEM_BYTES,
  DEFAULT_MAX_TTL_SECONDS,
  InvalidArgumentError,
  type MomentoClient,
  type NearCoherence,
  normalizeTtlPolicy,
  resolveCacheTarget,
  resolveNearCoherence,
  type TagStates,
  type TopicsApi,
  type TtlPolicy,
  tagKeyPrefix,
  withStats,
} from '@momento-http/core';

/** Options of the near cache (in-process L1). */
export interface KeyvNearCacheOptions {
  /** Upper bound on the bytes held in memory. @default 16 MiB */
  maxBytes?: number;
  /**
   * How long a value may be served from memory, in ms. With `coherence: 'topics'` other
   * processes' writes are seen within milliseconds and this only bounds memory; with `'ttl'`
   * they are seen after this long. @default 30000 with topics, 1000 with 'ttl'
   */
  ttlMs?: number;
  /**
   * How other processes' writes, deletes and clears reach this near cache: `'topics'` (each
   * write is announced on a Momento topic named after the cache and namespace; while that
   * subscription is healthy entries live up to `ttlMs`, otherwise at most 1 s) or `'ttl'` (no
   * messages: entries simply expire after `ttlMs`). A store without topics (`createMemoryStore()`,
   * a custom store) uses `'ttl'`, with one report when `'topics'` was asked for.
   * @default 'topics'
   */
  coherence?: NearCoherence;
}

/** The near cache's settings after validation. */
export interface NormalizedNearCache {
  maxBytes: number;
  ttlMs: number;
  /** What is in effect (`'ttl'` when the store has no topics). */
  coherence: NearCoherence;
  /** Where the invalidation bus publishes and subscribes, with `'topics'`. */
  topics: TopicsApi | undefined;
  /** Set when `'topics'` was asked for but the store cannot: reported once at construction. */
  unavailable: Error | undefined;
}

/** Options of {@link KeyvMomento} (and {@link createKeyv}). Every field is optional. */
export interface KeyvMomentoOptions {
  /**
   * The Momento client to use. Give either `client` or `store`, not both.
   * @default createClient() — configured from MOMENTO_API_KEY and MOMENTO_ENDPOINT
   */
  client?: MomentoClient;
  /** A ready `CacheStore` (for example `createMemoryStore()` in unit tests); `cacheName` is then ignored. */
  store?: CacheStore;
  /** The Momento cache to use. @default process.env.MOMENTO_CACHE_NAME ?? 'default-cache' */
  cacheName?: string;
  /**
   * The namespace. Keyv 5 and 6 overwrite it with their own (`store.namespace = …`), so with Keyv
   * pass the namespace to Keyv, or use `createKeyv({ namespace })`. No namespace is stored as `'keyv'`.
   * @default undefined (Keyv 5's own default is 'keyv')
   */
  namespace?: string;
  /**
   * TTL in ms for writes that carry none. Momento requires a TTL on every write, so "no expiry" means
   * this long; it is capped at `maxTtlSeconds`.
   * @default maxTtlSeconds × 1000 (24 h)
   */
  defaultTtlMs?: number;
  /** The longest TTL the cache accepts (Momento on-demand: 86400). Longer TTLs are clamped to it. @default 86400 */
  maxTtlSeconds?: number;
  /** Deadline of each operation (one key, retries included), in ms; a hung server costs at most this. @default 2000 */
  timeoutMs?: number;
  /**
   * Most key requests in flight for one getMany/setMany/hasMany/deleteMany (plus the one
   * generation read the batch shares). Background near-cache refreshes in flight are bounded
   * at 16 times this.
   * @default 16
   */
  concurrency?: number;
  /**
   * Keep hot values in process memory for a short time (`true` uses the defaults). Hits make no
   * request; entries read again after 60–80 % of `ttlMs` are refreshed in the background; writes
   * through this store go through it. Other processes' writes and clears are seen within `ttlMs`.
   * @default false
   */
  nearCache?: boolean | KeyvNearCacheOptions;
  /**
   * How long a namespace's generation (see Caveats) may be trusted from memory, in ms. `0` checks
   * it on every operation (in parallel with the operation's own request), so a `clear()` in
   * another process is seen at once. With the near cache on, at least its `ttlMs` is used.
   * @default 0
   */
  generationCacheMs?: number;
  /**
   * Values (key + value) larger than this many bytes are split into chunks.
   * @default 5_000_000 (Momento's item limit is 5 MB)
   */
  maxItemBytes?: number;
  /**
   * Tag namespace of `setWithTags` / `invalidateTags` (core's `tagKeyPrefix`): the same as the
   * other `@momento-http` packages of the app, so one purge reaches them all. @default the shared namespace
   */
  tagNamespace?: string;
  /** Tag states to share with another part of this process (the Nest module passes its own). */
  tagStates?: TagStates;
  /**
   * Write-behind: `set`, `setMany` and `setWithTags` resolve `true` as soon as this process sees
   * the write (its reads answer from it at once), and the PUT goes on in the background, in call
   * order per key (waiting writes of a key coalesce into the last). A background write that fails
   * is reported (`'error'`, `onError`), never returned. At most 16 × `concurrency` writes wait
   * in the background; past that a write is awaited as without this option. `flush()` waits for
   * them, and `disconnect()` flushes first. Input the store refuses still fails at once.
   * Other processes see the value once the PUT lands. @default false
   */
  writeBehind?: boolean;
  /** Rethrow errors to the caller (after emitting `'error'`) instead of returning `undefined`/`false`. @default false */
  throwOnErrors?: boolean;
  /**
   * Receives every failure (after `'error'` is emitted) and replaces the default report. Without
   * it, a failure no `'error'` listener heard is printed with `console.warn`, once per distinct
   * cause and process; `() => {}` silences that.
   * @default the report, when nothing listens to `'error'`
   */
  onError?: (error: unknown, operation: string) => void;
}

/** Default deadline of one operation. */
export const DEFAULT_TIMEOUT_MS = 2000;
/** Default number of requests in flight for a batch call. */
export const DEFAULT_CONCURRENCY = 16;
/** Default cache name when neither the option nor MOMENTO_CACHE_NAME gives one (core's). */
export { DEFAULT_CACHE_NAME };
/** Namespace used when none is set (Keyv 5's default, so Keyv 5 and 6 apps see the same data). */
export const DEFAULT_NAMESPACE = 'keyv';
/** Default chunking threshold in bytes (key + value): core's, Momento's item limit. */
export { DEFAULT_MAX_ITEM_BYTES };

const DEFAULT_NEAR_MAX_BYTES = 16 * 1024 * 1024;

/** The options after validation and defaults; built once per store. */
export interface NormalizedOptions {
  /** The cache, its value bytes counted in `stats`. */
  store: CacheStore;
  /** What `stats()` returns. */
  stats: CacheStats;
  onError: ((error: unknown, operation: string) => void) | undefined;
  cacheName: string;
  namespace: string | undefined;
  ttl: TtlPolicy;
  timeoutMs: number;
  concurrency: number;
  nearCache: NormalizedNearCache | undefined;
  generationCacheMs: number;
  maxItemBytes: number;
  writeBehind: boolean;
  throwOnErrors: boolean;
  tagKeyPrefix: string;
  tagStates: TagStates | undefined;
}

/**
 * Validates `options` and fills in defaults. Never mutates `options`.
 * @throws InvalidArgumentError naming the bad option.
 */
export function normalizeOptions(options: KeyvMomentoOptions = {}): NormalizedOptions {
  const { store, cacheName, topics } = resolveCacheTarget({
    store: options.store,
    client: options.client,
    cacheName: options.cacheName,
  });

  const maxTtlSeconds = options.maxTtlSeconds ?? DEFAULT_MAX_TTL_SECONDS;
  const defaultTtlMs = positive(options.defaultTtlMs, 'defaultTtlMs', maxTtlSeconds * 1000);
  const ttl = normalizeTtlPolicy({
    maxTtlSeconds,
    defaultTtlSeconds: Math.ceil(defaultTtlMs / 1000),
  });

  const nearCache = normalizeNearCache(options.nearCache, topics);

  const concurrency = positive(options.concurrency, 'concurrency', DEFAULT_CONCURRENCY);
  if (!Number.isSafeInteger(concurrency)) {
    throw new InvalidArgumentError(
      `KeyvMomento: concurrency must be a whole number, received ${concurrency}`,
    );
  }
  if (options.namespace !== undefined && typeof options.namespace !== 'string') {
    throw new InvalidArgumentError('KeyvMomento: namespace must be a string');
  }
  const generationCacheMs = options.generationCacheMs ?? 0;
  if (!(generationCacheMs >= 0)) {
    throw new InvalidArgumentError(
      `KeyvMomento: generationCacheMs must be >= 0, received ${generationCacheMs}`,
    );
  }

  if (options.writeBehind !== undefined && typeof options.writeBehind !== 'boolean') {
    throw new InvalidArgumentError(
      `KeyvMomento: writeBehind must be a boolean, received ${typeof options.writeBehind}`,
    );
  }
  if (options.onError !== undefined && typeof options.onError !== 'function') {
    throw new InvalidArgumentError(
      `KeyvMomento: onError must be a function, received ${typeof options.onError}`,
    );
  }
  const stats = new CacheStats();
  return {
    store: withStats(store, stats),
    stats,
    onError: options.onError,
    cacheName,
    namespace: options.namespace,
    ttl,
    timeoutMs: positive(options.timeoutMs, 'timeoutMs', DEFAULT_TIMEOUT_MS),
    concurrency,
    nearCache,
    generationCacheMs,
    maxItemBytes: positive(options.maxItemBytes, 'maxItemBytes', DEFAULT_MAX_ITEM_BYTES),
    writeBehind: options.writeBehind ?? false,
    throwOnErrors: options.throwOnErrors ?? false,
    tagKeyPrefix: tagKeyPrefix(options.tagNamespace),
    tagStates: options.tagStates,
  };
}

function normalizeNearCache(
  near: KeyvMomentoOptions['nearCache'],
  topics: TopicsApi | undefined,
): NormalizedNearCache | undefined {
  if (near === undefined || near === false) return undefined;
  const given: KeyvNearCacheOptions = near === true ? {} : near;
  const ttlMs = given.ttlMs === undefined ? undefined : positive(given.ttlMs, 'nearCache.ttlMs', 0);
  const coherence = resolveNearCoherence(
    given.coherence,
    ttlMs,
    topics,
    'KeyvMomento: nearCache.coherence',
  );
  return {
    maxBytes: positive(given.maxBytes, 'nearCache.maxBytes', DEFAULT_NEAR_MAX_BYTES),
    ttlMs: coherence.ttlMs,
    coherence: coherence.coherence,
    topics: coherence.topics,
    unavailable: coherence.unavailable,
  };
}

function positive(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new InvalidArgumentError(
      `KeyvMomento: ${name} must be a positive finite number, received ${String(value)}`,
    );
  }
  return value;
}
