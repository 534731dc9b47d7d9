import {
  type CacheStore,
  type CoherenceLink,
  type NearCoherenceSettings,
  nearCacheTarget,
  TagStates,
  TagStore,
} from '@momento-http/core';
import type { NearSettings } from './options';
import { joinNamespaceBus, shortBound } from './store-stack';

/**
 * Where the tag states of this process live. On `globalThis`, not in a module variable: the
 * `isr` and `use-cache` entries are separate bundles, each with its own copy of this module, and
 * Next loads both.
 */
const REGISTRY = Symbol.for('@momento-http/next/tag-states');

interface Registry {
  /** Tag states over a store or client the caller gave, by that object. */
  byOwner: WeakMap<object, Map<string, TagStates>>;
  /** Tag states over the environment's cache, by endpoint and cache name. */
  byName: Map<string, TagStates>;
}

/** Which cache a handler's tags live in, and how they are kept. */
export interface TagScope {
  /** The store or client the handler was given; `undefined` for the environment's. */
  owner: object | undefined;
  /** The cache name, plus the endpoint for the environment's cache. */
  cacheName: string;
  /** The handler's namespace (its coherence topic is named after it). */
  namespace: string;
  /** Prefix of the tag keys (`ResolvedOptions.tagKeyPrefix`). */
  tagKeyPrefix: string;
  ttlSeconds: number;
  near: NearSettings | false;
  /** Monotonic clock of the tag-state near cache (Next instruments `Date.now`). */
  nearClock: () => number;
  /** Coherence in effect for the handler's near cache: the tag states' follows it. */
  coherence?: NearCoherenceSettings | undefined;
  /** The store's own cache name (where the invalidation topic lives). */
  cacheNameOfStore?: string;
  /** Where the bus's failures go (the first handler's reporter). */
  report?: (error: unknown, operation: string) => void;
}

/**
 * The one {@link TagStates} of every handler in this process over the same cache and namespace,
 * created over `store` by the first handler that asks. Next calls both handler kinds for one
 * `revalidateTag`: sharing the tag states writes each tag once, and both kinds see it at once.
 * Handlers whose tag-state near cache differs (TTL, size, a clock of their own) keep their own.
 */
export function sharedTagStates(scope: TagScope, store: CacheStore): TagStates {
  const coherence = scope.coherence;
  const create = () => {
    // Tag states held near live long only while the namespace's bus is live; revalidations here
    // are announced on it, and those announced elsewhere drop the states held here.
    let link: CoherenceLink | undefined;
    const topics = coherence?.topics;
    const shortMs = coherence ? shortBound(coherence) : 0;
    const states = new TagStates(
      new TagStore(store, { prefix: scope.tagKeyPrefix, ttlSeconds: scope.ttlSeconds }),
      {
        nearCache: scope.near
          ? {
              maxBytes: scope.near.maxBytes,
              ttlMs: coherence?.ttlMs ?? scope.near.ttlMs,
              now: scope.near.now ?? scope.nearClock,
              lifeCap: topics && (() => link?.lifeCapMs() ?? shortMs),
            }
          : undefined,
        onInvalidate: topics && ((tags) => link?.publish({ tags })),
      },
    );
    if (coherence && topics) {
      link = joinNamespaceBus(
        { ...coherence, topics },
        scope.cacheNameOfStore ?? scope.cacheName,
        scope.namespace,
        nearCacheTarget({ tags: () => states.near }),
        scope.report ?? (() => {}),
      );
    }
    return states;
  };
  // A clock of the caller's own (tests) cannot be compared: such a handler shares nothing.
  if (scope.near && scope.near.now !== undefined) return create();
  const near = scope.near
    ? `${coherence?.ttlMs ?? scope.near.ttlMs ?? ''}/${scope.near.maxBytes ?? ''}/${coherence?.coherence ?? ''}`
    : 'off';
  const key = [scope.cacheName, scope.namespace, scope.tagKeyPrefix, scope.ttlSeconds, near].join(
    '\u0000',
  );
  const registry = registryOf(globalThis as { [REGISTRY]?: Registry });
  let byKey = registry.byName;
  if (scope.owner) {
    byKey = registry.byOwner.get(scope.owner) ?? new Map();
    registry.byOwner.set(scope.owner, byKey);
  }
  let states = byKey.get(key);
  if (!states) {
    states = create();
    byKey.set(key, states);
  }
  return states;
}

function registryOf(holder: { [REGISTRY]?: Registry }): Registry {
  holder[REGISTRY] ??= { byOwner: new WeakMap(), byName: new Map() };
  return holder[REGISTRY];
}
