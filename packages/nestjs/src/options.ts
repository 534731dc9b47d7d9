import { type CacheStore, DEFAULT_MAX_TTL_SECONDS, type MomentoClient } from '@momento-http/core';

/** Near cache (in-process L1) settings. */
export interface NearCacheSettings {
  /** Byte bound of the in-process cache. @default 16 MiB */
  maxBytes?: number;
  /** How long an entry is served from process memory before the store is asked again. @default 1000 */
  ttlMs?: number;
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
}

/** Where the module reports store failures; the module itself never logs. */
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
  /** Deadline of every store call, in ms; a slower call counts as a miss. @default 1000 */
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
  /** Prefix of the tag keys (shared with the other @momento-http adapters). @default '__tag__|' */
  tagPrefix?: string;
  /** Store failures go here (reads still count as misses, writes are dropped). */
  onError?: MomentoCacheErrorHandler;
}

export const DEFAULT_NAMESPACE = 'nest';
export const DEFAULT_CACHE_NAME = 'default-cache';
export const DEFAULT_TTL_SECONDS = 3600;
/** Core's: Momento on-demand allows 24 h. */
export { DEFAULT_MAX_TTL_SECONDS };
export const DEFAULT_TIMEOUT_MS = 1000;
export const DEFAULT_VARY_BY_HEADERS: readonly string[] = ['authorization'];
export const DEFAULT_TAG_PREFIX = '__tag__|';

/** Options after defaults and validation; produced once by {@link normalizeOptions}. */
export interface NormalizedOptions {
  client?: MomentoClient;
  store?: CacheStore;
  cacheName: string;
  namespace: string;
  ttl?: number;
  defaultTtlSeconds: number;
  maxTtlSeconds: number;
  timeoutMs: number;
  nearCache?: NearCacheSettings;
  isGlobal: boolean;
  refreshThreshold?: number;
  nonBlocking?: boolean;
  varyByHeaders: readonly string[];
  cacheableStatuses: (status: number) => boolean;
  tagPrefix: string;
  onError: MomentoCacheErrorHandler;
}

/** Thrown at startup for an invalid option; the message names the option and the reason. */
export class MomentoCacheOptionsError extends TypeError {
  override readonly name = 'MomentoCacheOptionsError';
  constructor(
    readonly option: string,
    reason: string,
  ) {
    super(`MomentoCacheModule: invalid option "${option}": ${reason}`);
  }
}

const isPositiveInteger = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0;

function positiveInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (!isPositiveInteger(value)) {
    throw new MomentoCacheOptionsError(
      name,
      `expected a positive integer, received ${String(value)}`,
    );
  }
  return value;
}

function nonEmptyString(name: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.length === 0) {
    throw new MomentoCacheOptionsError(
      name,
      `expected a non-empty string, received ${String(value)}`,
    );
  }
  return value;
}

const is2xx = (status: number) => status >= 200 && status < 300;
const ignoreErrors: MomentoCacheErrorHandler = () => {};

/**
 * Applies defaults and validates, once, at startup. The caller's object is never mutated.
 * @throws MomentoCacheOptionsError naming the first invalid option.
 */
export function normalizeOptions(
  input: MomentoCacheModuleOptions | undefined | null,
): NormalizedOptions {
  if (input === undefined || input === null) input = {};
  if (typeof input !== 'object') {
    throw new MomentoCacheOptionsError('options', `expected an object, received ${typeof input}`);
  }
  if (input.client && input.store) {
    throw new MomentoCacheOptionsError('store', 'pass either "client" or "store", not both');
  }
  if (input.store !== undefined && typeof input.store?.get !== 'function') {
    throw new MomentoCacheOptionsError('store', 'expected a CacheStore with get/set/delete');
  }
  const env = globalThis.process?.env ?? {};
  const maxTtlSeconds = positiveInteger(
    'maxTtlSeconds',
    input.maxTtlSeconds,
    DEFAULT_MAX_TTL_SECONDS,
  );
  const defaultTtlSeconds = positiveInteger(
    'defaultTtlSeconds',
    input.defaultTtlSeconds,
    Math.min(DEFAULT_TTL_SECONDS, maxTtlSeconds),
  );
  if (defaultTtlSeconds > maxTtlSeconds) {
    throw new MomentoCacheOptionsError(
      'defaultTtlSeconds',
      `${defaultTtlSeconds} is above maxTtlSeconds (${maxTtlSeconds})`,
    );
  }
  if (input.ttl !== undefined && !(typeof input.ttl === 'number' && input.ttl >= 0)) {
    throw new MomentoCacheOptionsError(
      'ttl',
      `expected milliseconds >= 0 (cache-manager 7 takes ms), received ${String(input.ttl)}`,
    );
  }
  const timeoutMs = positiveInteger('timeoutMs', input.timeoutMs, DEFAULT_TIMEOUT_MS);
  let nearCache: NearCacheSettings | undefined;
  if (input.nearCache === true) nearCache = {};
  else if (input.nearCache && typeof input.nearCache === 'object') {
    nearCache = {
      maxBytes:
        input.nearCache.maxBytes === undefined
          ? undefined
          : positiveInteger('nearCache.maxBytes', input.nearCache.maxBytes, 0),
      ttlMs:
        input.nearCache.ttlMs === undefined
          ? undefined
          : positiveInteger('nearCache.ttlMs', input.nearCache.ttlMs, 0),
    };
  } else if (input.nearCache !== undefined && input.nearCache !== false) {
    throw new MomentoCacheOptionsError('nearCache', 'expected a boolean or { maxBytes, ttlMs }');
  }
  const varyByHeaders = input.http?.varyByHeaders ?? DEFAULT_VARY_BY_HEADERS;
  if (!Array.isArray(varyByHeaders) || varyByHeaders.some((h) => typeof h !== 'string' || !h)) {
    throw new MomentoCacheOptionsError('http.varyByHeaders', 'expected an array of header names');
  }
  if (input.onError !== undefined && typeof input.onError !== 'function') {
    throw new MomentoCacheOptionsError('onError', 'expected a function');
  }
  return {
    client: input.client,
    store: input.store,
    cacheName: nonEmptyString(
      'cacheName',
      input.cacheName,
      env.MOMENTO_CACHE_NAME || DEFAULT_CACHE_NAME,
    ),
    namespace: nonEmptyString('namespace', input.namespace, DEFAULT_NAMESPACE),
    // 0 is cache-manager's "no expiry": Momento needs a TTL, so that is `defaultTtlSeconds`.
    ttl: input.ttl === 0 ? undefined : input.ttl,
    defaultTtlSeconds,
    maxTtlSeconds,
    timeoutMs,
    nearCache,
    isGlobal: input.isGlobal === true,
    refreshThreshold: input.refreshThreshold,
    nonBlocking: input.nonBlocking,
    varyByHeaders: varyByHeaders.map((h) => h.toLowerCase()),
    cacheableStatuses: input.http?.cacheableStatuses ?? is2xx,
    tagPrefix: nonEmptyString('tagPrefix', input.tagPrefix, DEFAULT_TAG_PREFIX),
    onError: input.onError ?? ignoreErrors,
  };
}
