import {
  type CacheStore,
  InvalidArgumentError,
  isCacheStatusName,
  resolveCacheTarget,
  type TopicsApi,
} from '@momento-http/core';
import {
  DEFAULT_CACHE_STATUS_NAME,
  DEFAULT_MAX_TTL_SECONDS,
  DEFAULT_NAMESPACE,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_TTL_SECONDS,
  DEFAULT_VARY_BY_HEADERS,
  type MomentoCacheErrorHandler,
  type MomentoCacheModuleOptions,
  type NearCacheSettings,
} from './options';
import { resolveTagKeyPrefix } from './tag-key-prefix';

/** Options after defaults and validation; produced once by {@link normalizeOptions}. */
export interface NormalizedOptions {
  /** The cache every part of the module uses (from `store`, or `client` + `cacheName`). */
  store: CacheStore;
  cacheName: string;
  /** The client's topics (near-cache coherence), when the cache came with a client. */
  topics: TopicsApi | undefined;
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
  /** `Cache-Status` name, or `undefined` to send none. */
  cacheStatus: string | undefined;
  /** The user's handler; `undefined` means the default report. */
  onError: MomentoCacheErrorHandler | undefined;
}

/**
 * Thrown at startup for an invalid option; the message names the option and the reason. A core
 * `InvalidArgumentError`, like every bad option in the @momento-http packages.
 */
export class MomentoCacheOptionsError extends InvalidArgumentError {
  override name = 'MomentoCacheOptionsError';
  constructor(
    readonly option: string,
    reason: string,
  ) {
    super(`MomentoCacheModule: invalid option "${option}": ${reason}`);
  }
}

/** Every option the module takes: anything else is a mistake worth stopping the app for. */
const KNOWN_OPTIONS = new Set<string>([
  'client',
  'store',
  'cacheName',
  'namespace',
  'ttl',
  'defaultTtlSeconds',
  'maxTtlSeconds',
  'timeoutMs',
  'nearCache',
  'isGlobal',
  'refreshThreshold',
  'nonBlocking',
  'http',
  'tagPrefix',
  'tagNamespace',
  'onError',
]);

/** The fix for unknown options users bring from `CacheModule.register()` habits. */
const MISTAKEN_OPTIONS: Record<string, string> = {
  stores:
    'this module builds its own store on Momento; pass "client" (or "store", a @momento-http CacheStore) and "cacheName" instead of cache-manager "stores"',
};

function refuseUnknownKeys(input: object): void {
  for (const key of Object.keys(input)) {
    if (KNOWN_OPTIONS.has(key)) continue;
    const fix =
      MISTAKEN_OPTIONS[key] ??
      `not an option of this module; the options are ${[...KNOWN_OPTIONS].join(', ')}`;
    throw new MomentoCacheOptionsError(key, fix);
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

function nearCacheSettings(value: unknown): NearCacheSettings | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return {};
  if (typeof value !== 'object' || value === null) {
    throw new MomentoCacheOptionsError('nearCache', 'expected a boolean or { maxBytes, ttlMs }');
  }
  const { maxBytes, ttlMs, coherence, ...rest } = value as NearCacheSettings;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) {
    throw new MomentoCacheOptionsError(
      `nearCache.${unknown}`,
      'expected only maxBytes, ttlMs and coherence',
    );
  }
  if (coherence !== undefined && coherence !== 'topics' && coherence !== 'ttl') {
    throw new MomentoCacheOptionsError(
      'nearCache.coherence',
      `expected 'topics' or 'ttl', received ${String(coherence)}`,
    );
  }
  return {
    maxBytes:
      maxBytes === undefined ? undefined : positiveInteger('nearCache.maxBytes', maxBytes, 0),
    ttlMs: ttlMs === undefined ? undefined : positiveInteger('nearCache.ttlMs', ttlMs, 0),
    coherence,
  };
}

const is2xx = (status: number) => status >= 200 && status < 300;

/**
 * Applies defaults and validates, once, at startup; resolves the cache (`store`, or `client` and
 * `cacheName`, with the `MOMENTO_*` environment) through core's `resolveCacheTarget`. The caller's
 * object is never mutated.
 * @throws MomentoCacheOptionsError (an `InvalidArgumentError`) naming the first invalid option;
 *   core's `InvalidArgumentError` for a bad `store` / `client` / `cacheName` or a missing API key.
 */
export function normalizeOptions(
  input: MomentoCacheModuleOptions | undefined | null,
): NormalizedOptions {
  if (input === undefined || input === null) input = {};
  if (typeof input !== 'object') {
    throw new MomentoCacheOptionsError('options', `expected an object, received ${typeof input}`);
  }
  refuseUnknownKeys(input);
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
  const nearCache = nearCacheSettings(input.nearCache);
  const varyByHeaders = input.http?.varyByHeaders ?? DEFAULT_VARY_BY_HEADERS;
  if (!Array.isArray(varyByHeaders) || varyByHeaders.some((h) => typeof h !== 'string' || !h)) {
    throw new MomentoCacheOptionsError('http.varyByHeaders', 'expected an array of header names');
  }
  const cacheableStatuses = input.http?.cacheableStatuses ?? is2xx;
  if (typeof cacheableStatuses !== 'function') {
    throw new MomentoCacheOptionsError('http.cacheableStatuses', 'expected (status) => boolean');
  }
  const cacheStatus = input.http?.cacheStatus ?? DEFAULT_CACHE_STATUS_NAME;
  if (
    cacheStatus !== false &&
    (typeof cacheStatus !== 'string' || !isCacheStatusName(cacheStatus))
  ) {
    throw new MomentoCacheOptionsError(
      'http.cacheStatus',
      `expected a structured-field token (e.g. 'momento-http') or false, received ${String(cacheStatus)}`,
    );
  }
  if (input.onError !== undefined && typeof input.onError !== 'function') {
    throw new MomentoCacheOptionsError('onError', 'expected a function');
  }
  const namespace = nonEmptyString('namespace', input.namespace, DEFAULT_NAMESPACE);
  const tagPrefix = resolveTagKeyPrefix(input.tagNamespace, input.tagPrefix);
  // Last: with no client, this builds one from MOMENTO_API_KEY (its error names the variable).
  const { store, cacheName, topics } = resolveCacheTarget({
    store: input.store,
    client: input.client,
    cacheName: input.cacheName,
  });
  return {
    store,
    cacheName,
    topics,
    namespace,
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
    cacheableStatuses,
    tagPrefix,
    cacheStatus: cacheStatus === false ? undefined : cacheStatus,
    onError: input.onError,
  };
}
