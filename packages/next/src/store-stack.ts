import {
  type CacheStore,
  type ChunkingError,
  withChunking,
  withSingleFlight,
} from '@momento-http/core';

/**
 * The store every entry and tag record of a handler goes through, in core's documented order:
 * chunking (with its manifest checks) right over the cache, and single-flight reads on top, so
 * concurrent requests for one page share one GET.
 */
export function handlerStoreStack(
  base: CacheStore,
  limits: { maxItemBytes: number; maxTtlSeconds: number },
  onChunkingError: (error: ChunkingError) => void,
): CacheStore {
  return withSingleFlight(
    withChunking(base, {
      maxItemBytes: limits.maxItemBytes,
      maxTtlSeconds: limits.maxTtlSeconds,
      onError: onChunkingError,
    }),
  );
}
