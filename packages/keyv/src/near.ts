import { NearCache } from '@momento-http/core';
import type { StoredRecord } from './record';

/** A near entry: the record, and when a hit should start refreshing it in the background. */
export interface NearEntry extends StoredRecord {
  refreshAt: number;
}

/** Share of the TTL after which a hit refreshes the entry in the background (refresh-ahead), at the latest. */
const REFRESH_AFTER = 0.8;

/** Past this many tracked keys, forget them all and refuse fills from reads started earlier. */
const MAX_TRACKED_WRITES = 10_000;
/** Counted per entry on top of the value's UTF-16 size, as the core's near cache does. */
const sizeOf = (record: NearEntry) => record.value.length * 2 + 16;

/**
 * The near cache of decoded records, keyed by the full stored key (`<ns>|<gen>|<key>`), so a
 * `clear()` moves to keys that hold nothing yet. Holding decoded records (not bytes) makes a hit a
 * map lookup: nothing is decoded, copied, awaited or timed.
 *
 * Reads fill it only if no write to the same key started after the read did, so a read in flight
 * during a write can never put the older value back. An entry is served at most `ttlMs` after
 * the read or write that produced it started. A hit after 60–80 % of that time (spread at
 * random) asks for a background refresh (see {@link NearEntry}), so keys that stay hot never
 * make a reader wait.
 */
export class NearRecords {
  readonly #cache: NearCache<NearEntry>;
  readonly #ttlMs: number;
  #seq = 0;
  #floor = 0;
  readonly #lastWrite = new Map<string, number>();

  constructor(options: { maxBytes: number; ttlMs: number }) {
    this.#cache = new NearCache<NearEntry>({ ...options, sizeOf });
    this.#ttlMs = options.ttlMs;
  }

  /**
   * The entry held for `id`, if fresh. Once `refreshAt` has passed, the caller should refresh it in
   * the background (and set `refreshAt` to `Infinity` so only one refresh starts).
   */
  get(id: string): NearEntry | undefined {
    return this.#cache.get(id);
  }

  /** A token for a read starting now; pass it to {@link fill}. */
  beginRead(): number {
    return this.#seq;
  }

  /**
   * Keeps what a read returned, unless a write to `id` started since `token`. `startedAt` is when
   * the read (or the generation it used, whichever is older) was current.
   */
  fill(id: string, record: StoredRecord, token: number, startedAt: number): void {
    if (token < this.#floor || (this.#lastWrite.get(id) ?? 0) > token) return;
    this.#put(id, record, startedAt);
  }

  /** Drops `id` after a read found nothing there, unless a write to it started since `token`. */
  forget(id: string, token: number): void {
    if (token >= this.#floor && (this.#lastWrite.get(id) ?? 0) <= token) this.#cache.delete(id);
  }

  /**
   * Call before a write or delete of `id`: fences off reads in flight. The entry stays and is
   * served until the write completes (a read concurrent with a write may see either value), so
   * a hot key being written keeps answering from memory.
   */
  beginWrite(id: string): number {
    return this.#mark(id);
  }

  /**
   * Call when the write that {@link beginWrite} returned `token` for has finished. The record it
   * stored is kept only if no later write to `id` started meanwhile (`undefined` after a delete
   * or a failure); either way, reads that began before now may no longer fill.
   */
  endWrite(id: string, token: number, record: StoredRecord | undefined, startedAt: number): void {
    const latest = this.#lastWrite.get(id) === token;
    this.#mark(id);
    if (latest && record) this.#put(id, record, startedAt);
    else this.#cache.delete(id);
  }

  clear(): void {
    this.#cache.clear();
  }

  #put(id: string, record: StoredRecord, startedAt: number): void {
    const ttlMs = startedAt + this.#ttlMs - Date.now();
    // Spread over a fifth of the TTL, so entries filled together do not all come due together.
    const refreshAt = startedAt + this.#ttlMs * (REFRESH_AFTER - 0.2 * Math.random());
    if (ttlMs > 0)
      this.#cache.set(id, { value: record.value, deadline: record.deadline, refreshAt }, ttlMs);
  }

  #mark(id: string): number {
    if (this.#lastWrite.size >= MAX_TRACKED_WRITES) {
      this.#lastWrite.clear();
      this.#floor = this.#seq + 1;
    }
    this.#lastWrite.set(id, ++this.#seq);
    return this.#seq;
  }
}
