import {
  type CacheStore,
  type NamespacedStore,
  type NearCache,
  withChunking,
  withNamespace,
  withNearCache,
  withSingleFlight,
} from '@momento-http/core';
import type { NormalizedOptions } from './options';

/** Namespaced stores kept per store; a Keyv app uses one or two, so this only bounds misuse. */
const MAX_NAMESPACES = 64;

/** The toolkit layers under a {@link KeyvMomento}, and one namespaced view per namespace. */
export interface StoreStack {
  /** The near cache, when enabled. */
  readonly near: NearCache<Uint8Array> | undefined;
  /** The store for `namespace` (created on first use, then reused so its generation cache is kept). */
  namespaced(namespace: string): NamespacedStore;
}

/**
 * Builds, from the bottom up: the cache → chunking (values over the item limit) → single-flight
 * (concurrent reads of one key share a request) → near cache (optional) → namespace generations.
 *
 * The near cache sits under the namespace layer, so it holds whole (re-assembled) values under
 * their generation-qualified keys: a `clear()` moves to new keys and old near entries are never
 * read again.
 */
export function buildStack(
  options: NormalizedOptions,
  onError: (error: unknown) => void,
): StoreStack {
  let store: CacheStore = withChunking(options.store, {
    maxItemBytes: options.maxItemBytes,
    onError,
  });
  store = withSingleFlight(store);
  let near: NearCache<Uint8Array> | undefined;
  if (options.nearCache) {
    const nearStore = withNearCache(store, options.nearCache);
    near = nearStore.near;
    store = nearStore;
  }
  const spaces = new Map<string, NamespacedStore>();
  return {
    near,
    namespaced(namespace) {
      let space = spaces.get(namespace);
      if (!space) {
        if (spaces.size >= MAX_NAMESPACES) spaces.clear();
        space = withNamespace(store, namespace, {
          // The generation must outlive every entry written under it.
          generationTtlSeconds: options.ttl.maxTtlSeconds,
          generationCacheMs: options.generationCacheMs,
        });
        spaces.set(namespace, space);
      }
      return space;
    },
  };
}
