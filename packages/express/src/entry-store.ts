import {
  type CacheStore,
  CircuitBreaker,
  type CoherenceLink,
  coherenceTopicName,
  DEFAULT_NEAR_CACHE_TTL_MS,
  Deadline,
  EntryCache,
  type EntrySource,
  FencedNearCache,
  joinNearCoherence,
  nearCacheTarget,
  READ_FAILED,
  type SetOptions,
  TaggedEntryReader,
  TagStates,
  TagStore,
  withChunking,
  withSingleFlight,
} from '@momento-http/core';
import type { NormalizedOptions } from './options';
import type { PurgeAll } from './purge-all';
import { decodeRecord, encodeRecord } from './record';
import type { StoredRecord } from './types';

/** What a vary spec costs in the near cache (an entry costs its body and about 1 KiB more). */
const SPEC_BYTES = 256;

/**
 * The store under every read and write, in core's order: concurrent gets of one key share one
 * request; values above the item limit are chunked (a damaged chunk or manifest is a reported miss).
 */
export function composeStore(
  options: Pick<NormalizedOptions, 'store' | 'maxTtlSeconds' | 'onError'>,
): CacheStore {
  return withSingleFlight(
    withChunking(options.store, {
      maxTtlSeconds: options.maxTtlSeconds,
      onError: (error: unknown) => options.onError(error, 'read'),
    }),
  );
}

/**
 * Entries and vary specs in the cache, composed from the core engine in its documented order:
 * `withSingleFlight(withChunking(store))`, one `CircuitBreaker`, a `FencedNearCache` under an
 * `EntryCache` (read-your-writes, checked decode), `TagStates` and a `TaggedEntryReader` (an
 * entry and the tags it had last time read in one round trip). Reads share the caller's
 * `Deadline` and never reject: a slow, failing or unreadable read is a miss reported to
 * `onError`. Writes are fire-and-forget (failures go to `onError`).
 */
export class EntryStore {
  readonly #options: NormalizedOptions;
  readonly #entries: EntryCache<StoredRecord>;
  readonly #tags: TagStates;
  readonly #reader: TaggedEntryReader<StoredRecord>;
  readonly #breaker: CircuitBreaker | undefined;
  /** When each entry written here leaves the cache (epoch ms): its near copy lives no longer. */
  readonly #expiries = new WeakMap<StoredRecord, number>();
  /** This instance's membership of the near caches' invalidation bus (coherence 'topics'). */
  readonly #link: CoherenceLink | undefined;
  #purgeAll: PurgeAll | undefined;

  constructor(options: NormalizedOptions) {
    this.#options = options;
    const store = composeStore(options);
    this.#breaker = options.circuitBreaker && new CircuitBreaker(options.circuitBreaker);
    const near = options.nearCache;
    const topics = near?.topics;
    const shortMs = Math.min(near?.ttlMs ?? 0, DEFAULT_NEAR_CACHE_TTL_MS);
    // Near entries and tag states live up to ttlMs only while the bus is live.
    const lifeCap = topics ? () => this.#link?.lifeCapMs() ?? shortMs : undefined;
    this.#entries = new EntryCache<StoredRecord>({
      store,
      decode: decodeRecord,
      near:
        near &&
        new FencedNearCache<StoredRecord>({
          maxBytes: near.maxBytes,
          ttlMs: near.ttlMs,
          lifeCap,
          sizeOf: (record) =>
            record.kind === 'entry' ? record.body.byteLength + 1024 : SPEC_BYTES,
        }),
      nearLife: (record) => {
        const expiresAt = this.#expiries.get(record);
        return expiresAt === undefined ? undefined : { ttlMs: expiresAt - Date.now() };
      },
      onError: (error) => options.onError(error, 'read'),
      onChange: topics && ((key) => this.#link?.publish({ keys: [key] })),
    });
    this.#tags = new TagStates(new TagStore(store, { prefix: options.tagKeyPrefix }), {
      nearCache: near && { ttlMs: near.ttlMs, lifeCap },
      onInvalidate: topics && ((tags) => this.#link?.publish({ tags })),
    });
    if (near?.unavailable) options.onError(near.unavailable, 'coherence');
    this.#link =
      topics &&
      joinNearCoherence(
        {
          topics,
          cacheName: options.store.cacheName,
          topicName: coherenceTopicName('express', options.keyPrefix),
          shortTtlMs: shortMs,
          onError: (error) => options.onError(error, 'coherence'),
        },
        nearCacheTarget({
          entries: () => this.#entries.near,
          tags: () => this.#tags.near,
          onClear: () => this.#purgeAll?.recheck(),
        }),
      );
    this.#reader = new TaggedEntryReader<StoredRecord>({
      entries: this.#entries,
      tags: this.#tags,
      tagsOf: (record) => (record.kind === 'entry' ? record.tags : []),
      createdAt: (record) => (record.kind === 'entry' ? record.storedAt : 0),
      breaker: this.#breaker,
      onError: (error, operation) => options.onError(error, operation),
    });
  }

  /**
   * The record this process holds for `key` (a write in flight, or a near-cache hit whose tags
   * are all known here and do not purge it), synchronously: no timer, no decode. `undefined`
   * means "call {@link read}".
   */
  peek(key: string): StoredRecord | undefined {
    return this.#reader.peek(key)?.entry;
  }

  /**
   * The record under `key` whose tags were not purged after it was stored, `undefined`, or
   * `READ_FAILED` when the read failed (something may be stored there: do not write over it). The
   * read shares `deadline` with the rest of the lookup; it never rejects. `seen.source` tells
   * where a found record came from (the near cache, a write in flight, or the store).
   */
  async read(
    key: string,
    deadline: Deadline,
    seen: { source?: EntrySource } = {},
  ): Promise<StoredRecord | undefined | typeof READ_FAILED> {
    const read = await this.#reader.readOrFailure(key, { deadline });
    if (read === READ_FAILED || read === undefined) return read;
    seen.source = read.source;
    return read.entry;
  }

  /** Writes a record (never rejects: failures go to `onError`). Resolves when the write settled. */
  async write(key: string, record: StoredRecord, ttlSeconds: number): Promise<void> {
    // An open circuit means the cache keeps failing: a write would only cost its timeout.
    if (this.#breaker?.state === 'open') return;
    this.#expiries.set(record, Date.now() + ttlSeconds * 1000);
    const deadline = this.#deadline('express cache write', this.#options.writeTimeoutMs);
    try {
      await deadline.run(() =>
        // Reads of `key` in this process wait for the encoding and then see the record.
        this.#entries.setWhenReady(key, async () => ({
          entry: record,
          bytes: await encodeRecord(record),
          options: deadline.callOptions<SetOptions>({ ttlSeconds }),
        })),
      );
    } catch (error) {
      this.#options.onError(error, 'write');
    }
  }

  /** Deletes a record. Never rejects unless `strict` (then failures reject instead of going to `onError`). */
  async delete(key: string, { strict = false } = {}): Promise<void> {
    const deadline = this.#deadline('express cache delete', this.#options.writeTimeoutMs);
    try {
      await deadline.run((o) => this.#entries.delete(key, o));
    } catch (error) {
      if (strict) throw error;
      this.#options.onError(error, 'delete');
    }
  }

  /**
   * Marks every entry carrying one of `tags` as purged, in every instance (this one at once,
   * before the write lands). Rejects on failure.
   */
  invalidateTags(tags: string[]): Promise<void> {
    const deadline = this.#deadline('express purge', this.#options.writeTimeoutMs);
    return deadline.run((o) => this.#tags.invalidate(tags, o));
  }

  /**
   * Ties `purgeAll` to the near caches' bus: a purge-all here is announced (other instances drop
   * everything held near and re-read the purge time), one announced elsewhere is honoured here.
   */
  followPurgeAll(purgeAll: PurgeAll): void {
    this.#purgeAll = purgeAll;
    purgeAll.onPurged = () => this.#link?.publish({ clear: true });
  }

  #deadline(operation: string, timeoutMs: number): Deadline {
    return new Deadline(timeoutMs, { operation });
  }
}
