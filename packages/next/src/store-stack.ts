import {
  type CacheStore,
  type CacheTarget,
  type ChunkingError,
  type CoherenceLink,
  type CoherenceTarget,
  coherenceTopicName,
  DEFAULT_NEAR_CACHE_TTL_MS,
  FencedNearCache,
  joinNearCoherence,
  type NearCoherenceSettings,
  nearCacheTarget,
  resolveNearCoherence,
  withChunking,
  withSingleFlight,
} from '@momento-http/core';
import type { NearSettings } from './options';

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

/** A handler's near cache of entries, and how its changes reach other instances. */
export interface HandlerNear<T> {
  near: FencedNearCache<T>;
  /** Announces a settled write of `id` to other instances (coherence over topics), else unset. */
  onChange: ((id: string) => void) | undefined;
  /** Coherence as in effect: the tag states' near cache follows the same. */
  coherence: NearCoherenceSettings;
}

/**
 * What coherence is in effect for `near` over `target`: `'topics'` needs the client's topics,
 * and `next build` never subscribes (nothing is served there, and a long poll would hold the
 * build open).
 */
export function nearCoherenceOf(near: NearSettings, target: CacheTarget): NearCoherenceSettings {
  const building = globalThis.process?.env?.NEXT_PHASE === 'phase-production-build';
  return resolveNearCoherence(near.coherence, near.ttlMs, building ? undefined : target.topics);
}

/** Joins `what` to the invalidation bus of `namespace` (one topic per cache and namespace). */
export function joinNamespaceBus(
  coherence: NearCoherenceSettings & { topics: NonNullable<NearCoherenceSettings['topics']> },
  cacheName: string,
  namespace: string,
  what: CoherenceTarget,
  report: (error: unknown, operation: string) => void,
): CoherenceLink {
  return joinNearCoherence(
    {
      topics: coherence.topics,
      cacheName,
      topicName: coherenceTopicName('next', namespace),
      shortTtlMs: shortBound(coherence),
      onError: (error) => report(error, 'coherence'),
    },
    what,
  );
}

/** The life of near entries while the bus is not live: 1 s, or `ttlMs` when shorter. */
export function shortBound(coherence: NearCoherenceSettings): number {
  return Math.min(coherence.ttlMs, DEFAULT_NEAR_CACHE_TTL_MS);
}

/**
 * A handler's near cache of decoded entries: with coherence over topics it joins the namespace's
 * bus (entries live up to `ttlMs` while it is live, the short bound otherwise), and its writes
 * are announced through `onChange`.
 */
export function handlerNearCache<T>(
  near: NearSettings,
  target: CacheTarget,
  namespace: string,
  clock: () => number,
  report: (error: unknown, operation: string) => void,
): HandlerNear<T> {
  const coherence = nearCoherenceOf(near, target);
  if (coherence.unavailable) report(coherence.unavailable, 'coherence');
  let link: CoherenceLink | undefined;
  const shortMs = shortBound(coherence);
  const cache = new FencedNearCache<T>({
    maxBytes: near.maxBytes,
    ttlMs: coherence.ttlMs,
    now: near.now ?? clock,
    lifeCap: coherence.topics && (() => link?.lifeCapMs() ?? shortMs),
  });
  const { topics } = coherence;
  if (topics) {
    link = joinNamespaceBus(
      { ...coherence, topics },
      target.cacheName,
      namespace,
      nearCacheTarget({ entries: () => cache }),
      report,
    );
  }
  return {
    near: cache,
    onChange: link && ((id) => link.publish({ keys: [id] })),
    coherence,
  };
}
