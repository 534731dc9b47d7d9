import {
  type CacheStore,
  NearCache,
  SingleFlight,
  TagStore,
  withChunking,
} from '@momento-http/core';
import type { NormalizedOptions } from './options';
import { decodeRecord, encodeRecord } from './record';
import type { Entry, StoredRecord } from './types';

/** Bound on remembered key → tags pairs (used to read tags alongside the entry). */
const KNOWN_TAGS_LIMIT = 10_000;

class Timeout extends Error {
  override name = 'TimeoutError';
}

/** Settles with `promise`, or rejects after `ms` (the store call is also given the deadline). */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout(`cache call took over ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

type TagTime = { stale: number; expired: number };
type TagTimes = Map<string, TagTime>;
const NEVER: TagTime = { stale: 0, expired: 0 };

/**
 * Entries and vary specs in the cache: envelope-encoded, chunked above the item limit, read
 * within a deadline (a slow or failing read is a miss), written fire-and-forget (failures go to
 * `onError`), with an optional near cache of decoded records and tag checks on every read.
 */
export class EntryStore {
  readonly #options: NormalizedOptions;
  readonly #entries: CacheStore;
  readonly #tags: TagStore;
  readonly #near: NearCache<StoredRecord> | undefined;
  /** Tag times seen recently (absent tags too), so a near-cache hit needs no network at all. */
  readonly #nearTags: NearCache<TagTime> | undefined;
  /** Bumped by every write and delete: a read that overlapped one does not fill the near cache. */
  #writes = 0;
  /** Consecutive failed entry reads, and until when the circuit stays open after too many. */
  #failures = 0;
  #openUntil = 0;
  readonly #reads = new SingleFlight<StoredRecord | undefined>();
  readonly #knownTags = new Map<string, string[]>();

  constructor(options: NormalizedOptions) {
    this.#options = options;
    this.#entries = withChunking(options.store, {
      maxTtlSeconds: options.maxTtlSeconds,
      onError: (error: unknown) => options.onError(error, 'read'),
    });
    const near = options.nearCache;
    this.#near = near
      ? new NearCache<StoredRecord>({
          ...near,
          sizeOf: (record) => (record.kind === 'entry' ? record.body.byteLength + 1024 : 256),
        })
      : undefined;
    this.#nearTags = near
      ? new NearCache<TagTime>({ ttlMs: near.ttlMs, sizeOf: () => 64 })
      : undefined;
    this.#tags = new TagStore(options.store);
  }

  /**
   * The near-cached record under `key`, synchronously, when one is held and (for a tagged entry)
   * every tag's time is known locally and none purges it; otherwise `undefined` (use `read`).
   * Lets a near-cache hit be served without a single await.
   */
  peek(key: string): StoredRecord | undefined {
    const record = this.#near?.get(key);
    if (record?.kind !== 'entry' || record.tags.length === 0) return record;
    const times: TagTimes = new Map();
    for (const tag of record.tags) {
      const time = this.#nearTags?.get(tag);
      if (!time) return undefined;
      times.set(tag, time);
    }
    return isPurged(record, times) ? undefined : record;
  }

  /**
   * The record under `key` whose tags were not purged after it was stored, or `undefined`.
   * Concurrent reads of one key share one store call. Tags the key had last time are read at the
   * same time as the entry, so a tagged hit usually costs one round trip, not two.
   */
  async read(key: string): Promise<StoredRecord | undefined> {
    let record = this.#near?.get(key);
    let early: Promise<TagTimes | undefined> | undefined;
    const guess = this.#knownTags.get(key);
    if (!record) {
      early = guess ? this.#readTags(guess) : undefined;
      record = await this.#reads.run(key, () => this.#fetch(key));
    }
    if (record?.kind !== 'entry' || record.tags.length === 0) return record;
    this.#remember(key, record.tags);
    const covered = guess && record.tags.every((tag) => guess.includes(tag));
    const times = covered && early ? await early : await this.#readTags(record.tags);
    if (!times || isPurged(record, times)) {
      this.#near?.delete(key);
      return undefined;
    }
    return record;
  }

  /** True while the circuit is open: the cache failed repeatedly, so it is not asked for a while. */
  get #open(): boolean {
    const breaker = this.#options.circuitBreaker;
    return (
      breaker !== undefined && this.#failures >= breaker.failures && Date.now() < this.#openUntil
    );
  }

  #failed(): void {
    const breaker = this.#options.circuitBreaker;
    if (breaker && ++this.#failures >= breaker.failures) {
      this.#openUntil = Date.now() + breaker.cooldownMs;
    }
  }

  async #fetch(key: string): Promise<StoredRecord | undefined> {
    const { readTimeoutMs, onError } = this.#options;
    if (this.#open) return undefined;
    const writes = this.#writes;
    try {
      let bytes: Uint8Array | undefined;
      try {
        bytes = await within(this.#entries.get(key, { timeoutMs: readTimeoutMs }), readTimeoutMs);
        this.#failures = 0;
      } catch (error) {
        this.#failed();
        throw error;
      }
      if (!bytes) return undefined;
      const record = await decodeRecord(bytes);
      if (record && this.#near && writes === this.#writes) this.#near.set(key, record);
      return record;
    } catch (error) {
      onError(error, 'read');
      return undefined;
    }
  }

  /** Tag timestamps, or `undefined` when they cannot be read in time (the entry is then a miss). */
  async #readTags(tags: string[]): Promise<TagTimes | undefined> {
    const times: TagTimes = new Map();
    const missing: string[] = [];
    for (const tag of tags) {
      const known = this.#nearTags?.get(tag);
      if (known) times.set(tag, known);
      else missing.push(tag);
    }
    if (missing.length === 0) return times;
    try {
      const read = await within(this.#tags.read(missing), this.#options.readTimeoutMs);
      for (const tag of missing) {
        const time = read.get(tag) ?? NEVER;
        times.set(tag, time);
        this.#nearTags?.set(tag, time);
      }
      return times;
    } catch (error) {
      this.#options.onError(error, 'tags');
      return undefined;
    }
  }

  #remember(key: string, tags: string[]): void {
    if (this.#knownTags.size >= KNOWN_TAGS_LIMIT) this.#knownTags.clear();
    this.#knownTags.set(key, tags);
  }

  /** Writes a record (never rejects: failures go to `onError`). Resolves when the write settled. */
  async write(key: string, record: StoredRecord, ttlSeconds: number): Promise<void> {
    const { writeTimeoutMs, onError } = this.#options;
    if (record.kind === 'entry' && record.tags.length) this.#remember(key, record.tags);
    this.#writes++;
    if (this.#open) return;
    try {
      const bytes = await encodeRecord(record);
      this.#near?.set(key, record, ttlSeconds * 1000);
      await within(
        this.#entries.set(key, bytes, { ttlSeconds, timeoutMs: writeTimeoutMs }),
        writeTimeoutMs,
      );
    } catch (error) {
      this.#near?.delete(key);
      onError(error, 'write');
    }
  }

  /** Deletes a record. Never rejects unless `strict` (then failures reject instead of going to `onError`). */
  async delete(key: string, { strict = false } = {}): Promise<void> {
    this.#writes++;
    this.#near?.delete(key);
    const { writeTimeoutMs, onError } = this.#options;
    try {
      await within(this.#entries.delete(key, { timeoutMs: writeTimeoutMs }), writeTimeoutMs);
    } catch (error) {
      if (strict) throw error;
      onError(error, 'delete');
    }
  }

  /** Marks every entry carrying one of `tags` as purged, in every instance. Rejects on failure. */
  async invalidateTags(tags: string[]): Promise<void> {
    for (const tag of tags) this.#nearTags?.delete(tag);
    await within(this.#tags.invalidate(tags), this.#options.writeTimeoutMs);
    for (const tag of tags) this.#nearTags?.delete(tag);
  }
}

/** Purged: a tag was expired after the entry's origin call started. */
function isPurged(entry: Entry, times: TagTimes, now = Date.now()): boolean {
  for (const tag of entry.tags) {
    const time = times.get(tag);
    if (time && time.expired >= entry.storedAt && time.expired <= now) return true;
  }
  return false;
}
