import { type CacheStore, withChunking, withSingleFlight } from '@momento-http/core';
import { Generations } from './generations';
import { NearRecords } from './near';
import type { NormalizedOptions } from './options';

/** Namespaces kept per store; a Keyv app uses one or two, so this only bounds misuse. */
const MAX_NAMESPACES = 64;

/** The layers under a {@link KeyvMomento}, and one generation tracker per namespace. */
export interface StoreStack {
  /** The cache with chunking (values over the item limit) and single-flight (concurrent reads of one key share a request). */
  readonly store: CacheStore;
  /** The near cache, when enabled. */
  readonly near: NearRecords | undefined;
  /** The generations of `namespace` (created on first use, then reused so what it learnt is kept). */
  generations(namespace: string): Generations;
}

/** Builds the stack once per store from the normalised options. */
export function buildStack(
  options: NormalizedOptions,
  onError: (error: unknown) => void,
): StoreStack {
  const store = withSingleFlight(
    withChunking(options.store, { maxItemBytes: options.maxItemBytes, onError }),
  );
  const near = options.nearCache ? new NearRecords(options.nearCache) : undefined;
  // With a near cache, a generation is trusted as long as a near entry may be: a clear made
  // elsewhere is then seen within the near cache's TTL, like any other write made elsewhere.
  const cacheMs = Math.max(options.generationCacheMs, options.nearCache?.ttlMs ?? 0);
  const spaces = new Map<string, Generations>();
  return {
    store,
    near,
    generations(namespace) {
      let space = spaces.get(namespace);
      if (!space) {
        if (spaces.size >= MAX_NAMESPACES) spaces.clear();
        // The generation must outlive every entry written under it.
        space = new Generations(store, namespace, {
          ttlSeconds: options.ttl.maxTtlSeconds,
          cacheMs,
          timeoutMs: options.timeoutMs,
        });
        spaces.set(namespace, space);
      }
      return space;
    },
  };
}
