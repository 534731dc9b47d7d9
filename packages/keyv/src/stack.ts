import {
  BoundedMap,
  type CacheStore,
  type CoherenceLink,
  coherenceTopicName,
  DEFAULT_NEAR_CACHE_TTL_MS,
  EntryCache,
  FencedNearCache,
  joinNearCoherence,
  NamespaceGeneration,
  nearCacheTarget,
  withChunking,
  withSingleFlight,
} from '@momento-http/core';
import type { NormalizedOptions } from './options';
import { isExpired, readRecord, type StoredRecord } from './record';

/** Namespaces kept per store; a Keyv app uses one or two, so this only bounds misuse. */
const MAX_NAMESPACES = 64;
/** Share of the near TTL after which a hit refreshes the entry in the background, at the latest. */
const REFRESH_AFTER = 0.8;

/** A decoded record as held near: when a hit should start refreshing it in the background. */
export interface NearRecord extends StoredRecord {
  refreshAt: number;
}

/** Where the stack reports what it reads as a miss: a corrupt record or chunk, a bad generation. */
export type StackErrorHandler = (error: unknown, id?: string) => void;
/** Where the stack reports what the invalidation bus rode out (operation: `coherence …`). */
export type CoherenceErrorHandler = (error: unknown, operation: string) => void;

/** The layers under a {@link KeyvMomento}, in the order the core README documents. */
export interface StoreStack {
  /** The store under the entries: chunking, single-flight, one key's writes in call order. */
  readonly store: CacheStore;
  /** Decoded records over the store: read-your-writes, the fenced near cache, checked decoding. */
  readonly entries: EntryCache<NearRecord>;
  /** Whether the near cache is on. */
  readonly nearCache: boolean;
  /** A record as the near cache holds it (with its refresh-ahead time). */
  near(record: StoredRecord): NearRecord;
  /** The generation of `namespace` (created on first use, then reused so what it learnt is kept). */
  generation(namespace: string): NamespaceGeneration;
  /**
   * With coherence over topics: listens to (and announces on) `namespace`'s topic from now on.
   * Cheap when already there; every operation calls it, so a store used again after `close()`
   * (Keyv's disconnect) joins again.
   */
  follow(namespace: string): void;
  /** Tells other processes the followed namespace was cleared (after the clear settled). */
  announceClear(): void;
  /** Leaves the topic (the subscription ends with the last store on it) and empties the near cache. */
  close(): void;
}

/**
 * Builds the stack once per store: `withSingleFlight(withChunking(store))`, then an EntryCache
 * (which sends one key's writes in call order; a FencedNearCache under it when on) and one
 * NamespaceGeneration per namespace.
 */
export function buildStack(
  options: NormalizedOptions,
  onError: StackErrorHandler,
  onCoherenceError: CoherenceErrorHandler = () => {},
): StoreStack {
  const base = withSingleFlight(
    withChunking(options.store, {
      maxItemBytes: options.maxItemBytes,
      onError: (error, { key }) => onError(error, typeof key === 'string' ? key : undefined),
    }),
  );
  const store: CacheStore = base;
  const nearOptions = options.nearCache;
  const nearTtlMs = nearOptions?.ttlMs ?? 0;
  const topics = nearOptions?.topics;
  const shortMs = Math.min(nearTtlMs, DEFAULT_NEAR_CACHE_TTL_MS);
  let link: CoherenceLink | undefined;
  let followed: string | undefined;
  // Entries live up to ttlMs only while a link says the bus is live; the short bound otherwise.
  const lifeCap = topics ? () => link?.lifeCapMs() ?? shortMs : undefined;
  const near = nearOptions
    ? new FencedNearCache<NearRecord>({
        maxBytes: nearOptions.maxBytes,
        ttlMs: nearOptions.ttlMs,
        lifeCap,
        // Counted as the value's UTF-16 size plus a little, as before.
        sizeOf: (record) => record.value.length * 2 + 16,
      })
    : undefined;
  const toNear = (record: StoredRecord): NearRecord => ({
    ...record, // tags and creation time included: a near hit is checked against them
    // Spread over a fifth of the TTL, so entries filled together do not all come due together.
    refreshAt: Date.now() + nearTtlMs * (REFRESH_AFTER - 0.2 * Math.random()),
  });
  const entries = new EntryCache<NearRecord>({
    store,
    near,
    decode: async (bytes) => {
      const record = await readRecord(bytes);
      if (isExpired(record)) return undefined;
      // Without a near cache nothing is refreshed ahead: the record needs no copy.
      return near ? toNear(record) : (record as NearRecord);
    },
    nearLife: (record) =>
      record.deadline === undefined ? undefined : { ttlMs: record.deadline - Date.now() },
    onError: (error, _operation, id) => onError(error, id),
    onChange: topics ? (id) => link?.publish({ keys: [id] }) : undefined,
  });
  // With a near cache, a generation is trusted as long as a near entry may be: a clear made
  // elsewhere is then seen within the near cache's TTL, like any other write made elsewhere.
  const cacheMs = Math.max(options.generationCacheMs, nearTtlMs);
  const spaces = new BoundedMap<string, NamespaceGeneration>(MAX_NAMESPACES);
  const stack: StoreStack = {
    store,
    entries,
    nearCache: near !== undefined,
    near: toNear,
    follow(namespace) {
      if (!topics || namespace === followed) return;
      link?.leave();
      // What is held was kept fresh by the other namespace's topic: not by this one.
      near?.clear();
      followed = namespace;
      const space = stack.generation(namespace);
      link = joinNearCoherence(
        {
          topics,
          cacheName: options.cacheName,
          topicName: coherenceTopicName('keyv', namespace),
          shortTtlMs: shortMs,
          onError: onCoherenceError,
        },
        nearCacheTarget({ entries: () => near, onClear: () => space.invalidate() }),
      );
    },
    announceClear() {
      link?.publish({ clear: true });
    },
    close() {
      link?.leave();
      link = undefined;
      followed = undefined;
      near?.clear();
    },
    generation(namespace) {
      let space = spaces.get(namespace);
      if (!space) {
        // The generation must outlive every entry written under it.
        space = new NamespaceGeneration(base, namespace, {
          ttlSeconds: options.ttl.maxTtlSeconds,
          cacheMs,
          timeoutMs: options.timeoutMs,
          cacheCap: lifeCap,
          // Not reported here: each operation that needed the generation reports it, once,
          // naming the user's key (see KeyvMomento).
        });
        spaces.set(namespace, space);
      }
      return space;
    },
  };
  return stack;
}
