import {
  BackgroundRefresh,
  type CacheStats,
  type CacheStore,
  CircuitBreaker,
  type CoherenceLink,
  coherenceTopicName,
  DEFAULT_NEAR_CACHE_TTL_MS,
  Deadline,
  EntryCache,
  FencedNearCache,
  FillFlights,
  joinNearCoherence,
  nearCacheTarget,
  resolveNearCoherence,
  type StaleWindows,
  staleKeepMs,
  staleWindows,
  storeKey,
  TaggedEntryReader,
  TagStates,
  TagStore,
} from '@momento-http/core';
import { decodeEntry, encodeEntry, type HttpEntry } from './http-entry';
import type { NormalizedOptions } from './normalize-options';

/** Where a failure is reported: the operation's name and, when known, the key. */
export type Report = (error: unknown, operation: string, key?: string) => void;

/** Decoded entries are shared (near cache, concurrent reads): parse each one's windows once. */
const windowsOfEntry = new WeakMap<HttpEntry, StaleWindows>();

/** The RFC 5861 windows the stored `Cache-Control` grants past the entry's freshness. */
export function windowsOf(entry: HttpEntry): StaleWindows {
  let windows = windowsOfEntry.get(entry);
  if (!windows) {
    windows = staleWindows(entry.headers['cache-control']);
    windowsOfEntry.set(entry, windows);
  }
  return windows;
}

/** When the entry stops being of any use: its freshness plus its longest stale window. */
const usableUntil = (entry: HttpEntry) => entry.expiresAt + staleKeepMs(windowsOf(entry));

/**
 * An entry past its freshness and every stale window (Momento keeps it up to a second longer)
 * is a quiet miss.
 */
const isUsable = (entry: HttpEntry) => usableUntil(entry) > Date.now();

/**
 * `HttpCacheInterceptor`'s entries on the core engine: an `EntryCache` of decoded entries (with
 * the fenced near cache when on, and read-your-writes), the tag states, one `TaggedEntryReader`
 * and one `CircuitBreaker`. Each lookup and each write is one `Deadline`; nothing here rejects.
 */
export class ResponseCache {
  readonly entries: EntryCache<HttpEntry>;
  readonly reader: TaggedEntryReader<HttpEntry>;
  readonly breaker = new CircuitBreaker();
  /** Concurrent misses of one response: the first runs the handler, the others replay its answer. */
  readonly fills = new FillFlights<HttpEntry>();
  /** Stale-while-revalidate: one background refresh per response at a time. */
  readonly refreshes: BackgroundRefresh;
  /** The near cache's membership of the namespace's invalidation bus (coherence 'topics'). */
  readonly #link: CoherenceLink | undefined;
  readonly #timeoutMs: number;
  readonly #keyPrefix: string;
  readonly #report: Report;
  readonly #stats: CacheStats;

  constructor(
    store: CacheStore,
    tags: TagStates,
    options: NormalizedOptions,
    report: Report,
    stats: CacheStats,
  ) {
    this.#stats = stats;
    this.#timeoutMs = options.timeoutMs;
    this.#keyPrefix = `${options.namespace}:http:`;
    this.#report = report;
    this.refreshes = new BackgroundRefresh({
      onError: (error, id) => report(error, 'refresh', id),
    });
    const settings =
      options.nearCache &&
      resolveNearCoherence(options.nearCache.coherence, options.nearCache.ttlMs, options.topics);
    if (settings?.unavailable) report(settings.unavailable, 'coherence');
    const topics = settings?.topics;
    const shortMs = Math.min(settings?.ttlMs ?? 0, DEFAULT_NEAR_CACHE_TTL_MS);
    const near =
      settings &&
      new FencedNearCache<HttpEntry>({
        maxBytes: options.nearCache?.maxBytes,
        ttlMs: settings.ttlMs,
        // Entries live up to ttlMs only while the bus is live; the short bound otherwise.
        lifeCap: topics && (() => this.#link?.lifeCapMs() ?? shortMs),
      });
    this.entries = new EntryCache<HttpEntry>({
      store,
      decode: async (bytes) => {
        const entry = await decodeEntry(bytes);
        return isUsable(entry) ? entry : undefined;
      },
      near: near || undefined,
      // Never held near past its last use (freshness, then stale windows).
      nearLife: (entry) => ({ ttlMs: usableUntil(entry) - Date.now() }),
      onError: (error) => report(error, 'decode'),
      onChange: topics && ((id) => this.#link?.publish({ keys: [id] })),
    });
    this.#link =
      topics &&
      joinNearCoherence(
        {
          topics,
          cacheName: options.cacheName,
          topicName: coherenceTopicName('nestjs', options.namespace),
          shortTtlMs: shortMs,
          onError: (error) => report(error, 'coherence'),
        },
        nearCacheTarget({ entries: () => this.entries.near }),
      );
    this.reader = new TaggedEntryReader<HttpEntry>({
      entries: this.entries,
      tags,
      tagsOf: (entry) => entry.tags,
      createdAt: (entry) => entry.storedAt,
      breaker: this.breaker,
      onError: (error, operation) => report(error, operation === 'read' ? 'get' : operation),
    });
  }

  /** Leaves the invalidation bus (the application shuts down). */
  close(): void {
    this.#link?.leave();
  }

  /** The key an entry is stored under: the namespace, then core's `storeKey` (hashed past 1 KiB). */
  idOf(key: string): string {
    return this.#keyPrefix + storeKey(key);
  }

  /**
   * The fresh entry this process holds for `id` (a near-cache hit or a write in flight, whose
   * tags are known here), synchronously: no timer, no decode, no promise. Counted as a read when
   * found; `undefined` means "call {@link lookup}".
   */
  peekFresh(id: string): HttpEntry | undefined {
    const known = this.reader.peek(id);
    if (!known || !(known.entry.expiresAt > Date.now())) return undefined;
    this.#stats.recordRead(known);
    return known.entry;
  }

  /**
   * The usable entry at `id` (fresh, or stale within its windows), or `undefined`. The entry and
   * its tags share one deadline of `timeoutMs`. Failures and timeouts are reported misses. Each
   * lookup is one read in the stats.
   */
  async lookup(id: string): Promise<HttpEntry | undefined> {
    const known = this.reader.peek(id, { usable: isUsable });
    if (known) {
      this.#stats.recordRead(known);
      return known.entry;
    }
    const deadline = new Deadline(this.#timeoutMs, { operation: 'HttpCacheInterceptor lookup' });
    const found = await this.reader.read(id, { deadline }, { usable: isUsable });
    this.#stats.recordRead(found);
    return found?.entry;
  }

  /**
   * Stores `entry` within one deadline of `timeoutMs`; reads in this process see it at once. A
   * value the envelope cannot carry (a class instance), a failure or a timeout is reported.
   */
  async save(id: string, entry: HttpEntry, ttlSeconds: number): Promise<void> {
    if (!this.breaker.allows()) return;
    let bytes: Uint8Array;
    let copy: HttpEntry;
    try {
      bytes = await encodeEntry(entry);
      // What is served from memory is what the store holds, not the handler's live object
      // (which the handler may change after returning it).
      copy = await decodeEntry(bytes);
    } catch (error) {
      this.#report(error, 'set', id);
      return;
    }
    const deadline = new Deadline(this.#timeoutMs, { operation: 'HttpCacheInterceptor write' });
    try {
      await deadline.run((o) => this.reader.write(id, copy, bytes, { ...o, ttlSeconds }));
      this.breaker.succeeded();
    } catch (error) {
      this.breaker.failed(error);
      this.#report(error, 'set', id);
    }
  }
}

/** The tag side every part of the module shares (interceptor reads, evictions, the service). */
export function createTagStates(store: CacheStore, options: NormalizedOptions): TagStates {
  // A tag key must outlive every entry it may invalidate. No tag-state near cache: every
  // instance sees another's invalidation on its next read (this one's own, at once).
  return new TagStates(
    new TagStore(store, { prefix: options.tagPrefix, ttlSeconds: options.maxTtlSeconds }),
  );
}
