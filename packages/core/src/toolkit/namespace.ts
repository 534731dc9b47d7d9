import { InvalidArgumentError } from '../client/errors';
import type { CacheKey, CacheStore, CacheValue, CallOptions, SetOptions } from '../contract';
import { DEFAULT_MAX_TTL_SECONDS } from './limits';
import { NamespaceGeneration, NamespaceGenerationError } from './namespace-generation';
import { checkAtLeast, checkWholeNumber, show } from './option-checks';

/** Options for {@link withNamespace}. */
export interface NamespaceOptions {
  /**
   * TTL of the generation key. When it expires the namespace starts over with a new generation
   * (its entries become unreachable, as after `clear()`), so keep it at least as long as the
   * longest entry TTL. @default 86400 (Momento's maximum)
   */
  generationTtlSeconds?: number;
  /**
   * How long this process may reuse a generation it read, in ms. `0` reads the generation key
   * on every call (one extra GET per operation; concurrent calls share one read). A positive value
   * saves that GET, but a `clear()` made by another process is only seen after up to this long,
   * so reads may return cleared entries and writes may land in the old generation meanwhile.
   * A `clear()` through this store takes effect here immediately. @default 0
   */
  generationCacheMs?: number;
  /**
   * Where a generation key holding no valid generation is reported (a `NamespaceGenerationError`).
   * Reads are then misses and writes reject with that error; the key is never overwritten except
   * by `clear()`. @default ignored
   */
  onError?: (error: unknown) => void;
  /** Clock in epoch ms (injectable for tests). @default Date.now */
  now?: () => number;
}

/** A store whose keys live in one namespace that can be cleared as a whole. */
export interface NamespacedStore extends CacheStore {
  readonly namespace: string;
  /** The generation protocol underneath (known and confirmed generation, for callers that need them). */
  readonly generation: NamespaceGeneration;
  /**
   * Makes every entry of the namespace unreachable, in one write: a new random generation.
   * Old entries are not deleted; they take space until their TTL.
   */
  clear(options?: CallOptions): Promise<void>;
}

/**
 * Scopes `store` to a namespace with generation-based `clear()`, as a `CacheStore`: a thin
 * wrapper over {@link NamespaceGeneration}, which holds the protocol and its wire format
 * (`<ns>|__gen__` holds 16 hex digits; keys are `<ns>|<gen>|<key>`; byte keys get the same prefix
 * as bytes; `|` and `%` in the namespace are percent-encoded).
 *
 * Only `clear()` replaces a generation: a generation key holding garbage is reported through
 * `onError` and reads miss (writes reject) until it is readable again, so one bad answer never
 * wipes the namespace. A missing generation (never written, expired, evicted) is created as a
 * NEW random one, never a fixed value, so entries from before a clear cannot come back. Two stores
 * over one cache (two processes) see each other's `clear()`.
 *
 * A read runs under the last generation seen while that generation is confirmed in parallel (one
 * round trip); if it changed, the read runs again under the new one.
 *
 * @example
 * const sessions = withNamespace(client.cache('default-cache'), 'sessions');
 * await sessions.set('u1', 'data', { ttlSeconds: 600 });
 * await sessions.clear();
 */
export function withNamespace(
  store: CacheStore,
  namespace: string,
  options: NamespaceOptions = {},
): NamespacedStore {
  if (typeof namespace !== 'string') {
    throw new InvalidArgumentError(`namespace must be a string, got ${show(namespace)}`);
  }
  const generationTtlSeconds = options.generationTtlSeconds ?? DEFAULT_MAX_TTL_SECONDS;
  const cacheMs = options.generationCacheMs ?? 0;
  checkWholeNumber('generationTtlSeconds', generationTtlSeconds, 1, 'seconds');
  checkAtLeast('generationCacheMs', cacheMs);
  const generation = new NamespaceGeneration(store, namespace, {
    ttlSeconds: generationTtlSeconds,
    cacheMs,
    onError: options.onError,
    now: options.now,
  });
  const unknown = (): never => {
    throw new NamespaceGenerationError(
      namespace,
      `namespace "${namespace}" has no readable generation: write refused`,
    );
  };
  const under = <T>(
    opts: CallOptions | undefined,
    fn: (key: CacheKey) => Promise<T>,
    key: CacheKey,
    miss: () => T,
  ) => {
    // Checked here: once prefixed, an empty key would be a valid key of the namespace.
    if ((typeof key === 'string' ? key.length : key.byteLength) === 0) {
      return Promise.reject(new InvalidArgumentError('Cache key must not be empty'));
    }
    return generation.run(opts ?? {}, (prefix) => fn(generation.scopedKey(prefix, key)), miss);
  };

  return {
    cacheName: store.cacheName,
    namespace,
    generation,
    get(key: CacheKey, opts?: CallOptions) {
      return under(
        opts,
        (k) => store.get(k, opts),
        key,
        () => undefined,
      );
    },
    set(key: CacheKey, value: CacheValue, opts?: SetOptions) {
      return under(opts, (k) => store.set(k, value, opts), key, unknown);
    },
    delete(key: CacheKey, opts?: CallOptions) {
      return under(opts, (k) => store.delete(k, opts), key, unknown);
    },
    clear(opts?: CallOptions) {
      return generation.clear(opts);
    },
  };
}
