import { estimateDecodedBytes } from './decoded-size';
import { NearCache, type NearCacheOptions } from './near-cache';
import { checkWholeNumber } from './option-checks';
import { WriteFence } from './write-fence';

/** Options for {@link FencedNearCache}. */
export interface FencedNearCacheOptions<T> extends NearCacheOptions<T> {
  /** Keys whose writes are remembered for fencing (see {@link WriteFence}). @default 10000 */
  maxTrackedWrites?: number;
  /**
   * The longest an entry stored now may live, asked at every store: a coherence layer
   * (`CoherenceLink.lifeCapMs`) answers the short bound while its channel is down.
   * @default no cap beyond `ttlMs`
   */
  lifeCap?: (() => number) | undefined;
}

/** How long one entry may be served. */
export interface NearEntryLife {
  /**
   * At most this long (ms), and never longer than the cache's `ttlMs`. A caller shortens it per
   * entry: the value's own remaining TTL, or a short bound while cross-instance coherence is down.
   */
  ttlMs?: number;
  /**
   * When the read or write that produced the entry started, on this cache's clock (`now()`): the
   * entry's life counts from then, so a slow read does not make its value live longer.
   */
  startedAt?: number;
}

/**
 * The near cache (L1) of every adapter: decoded entries in memory, a byte bound (LRU), a TTL, and
 * write fencing, so a read that began before a write of the same key can never fill it with the
 * older value. A hit is a synchronous map lookup: no timer, no decode, no copy (entries are
 * shared; a caller that hands out mutable objects copies them itself).
 *
 * Protocol: a read takes `beginRead()` before it goes to the store and calls `fill()` with what it
 * decoded (or `forget()` when it found nothing). A write calls `beginWrite(id, entry)` as it
 * starts, which serves the new entry at once (a read issued after the write sees it, even while
 * it is in flight) and fences reads in flight; then `endWrite()` when the store answered. A write
 * that failed, or a delete, leaves nothing behind: the store may hold either value.
 *
 * Coherence across instances (another process wrote) is the caller's: `invalidate(ids)` drops and
 * fences keys named by someone else, `clear()` drops and fences everything, `capTtl(ms)` shortens
 * the life of every entry when the caller's freshness guarantee weakens, and `lifeCap` bounds
 * new entries meanwhile (see `InvalidationBus`).
 *
 * @example
 * const near = new FencedNearCache<Page>({ maxBytes: 8 << 20, ttlMs: 1000 });
 * const hit = near.get(id);
 * if (hit) return hit;
 * const token = near.beginRead();
 * const page = decode(await store.get(id));
 * near.fill(id, page, token);
 */
export class FencedNearCache<T> {
  readonly #cache: NearCache<T>;
  readonly #fence: WriteFence;
  readonly #now: () => number;
  readonly #lifeCap: (() => number) | undefined;

  constructor(options: FencedNearCacheOptions<T> = {}) {
    const { maxTrackedWrites, lifeCap, ...rest } = options;
    this.#now = options.now ?? Date.now;
    this.#lifeCap = lifeCap;
    this.#cache = new NearCache<T>({
      ...rest,
      now: this.#now,
      sizeOf: options.sizeOf ?? estimateDecodedBytes,
    });
    // Checked here so the message names this class's option, not WriteFence's.
    if (maxTrackedWrites !== undefined) checkWholeNumber('maxTrackedWrites', maxTrackedWrites);
    this.#fence = new WriteFence(maxTrackedWrites);
  }

  /** The entry held for `id` while it lives; synchronous, refreshes its LRU position. */
  get(id: string): T | undefined {
    return this.#cache.get(id);
  }

  /** This cache's clock (the `now` option): use it for {@link NearEntryLife.startedAt}. */
  now(): number {
    return this.#now();
  }

  /** A token for a read starting now: pass it to {@link fill} or {@link forget}. */
  beginRead(): number {
    return this.#fence.beginRead();
  }

  /** Keeps what a read found, unless a write to `id` began or ended since `token`. Returns whether it did. */
  fill(id: string, entry: T, token: number, life: NearEntryLife = {}): boolean {
    if (!this.#fence.mayFill(id, token)) return false;
    this.#put(id, entry, life);
    return true;
  }

  /** A read found nothing at `id`: drops the held entry, unless a write to `id` happened since `token`. */
  forget(id: string, token: number): void {
    if (this.#fence.mayFill(id, token)) this.#cache.delete(id);
  }

  /**
   * Call as a write (`entry`) or delete (`undefined`) of `id` starts: from now on reads here see
   * `entry` (or nothing), and reads in flight may not fill. Returns the token for {@link endWrite}.
   */
  beginWrite(id: string, entry?: T, life: NearEntryLife = {}): number {
    const token = this.#fence.beginWrite(id);
    if (entry === undefined) this.#cache.delete(id);
    else this.#put(id, entry, life);
    return token;
  }

  /**
   * Call when the write that got `token` settled, with the entry it stored (`undefined` after a
   * delete or a failure). Only the newest write of `id` decides what is held; reads that began
   * before now may no longer fill.
   */
  endWrite(id: string, token: number, entry: T | undefined, life: NearEntryLife = {}): void {
    if (!this.#fence.endWrite(id, token)) return;
    if (entry === undefined) this.#cache.delete(id);
    else this.#put(id, entry, life);
  }

  /** Drops `ids` and fences reads of them in flight (another instance changed them). */
  invalidate(ids: Iterable<string>): void {
    for (const id of ids) {
      this.#fence.mark(id);
      this.#cache.delete(id);
    }
  }

  /** Drops everything and fences every read in flight. */
  clear(): void {
    this.#fence.fenceAll();
    this.#cache.clear();
  }

  /** Shortens every entry's remaining life to at most `maxMs` (see {@link NearCache.capTtl}). */
  capTtl(maxMs: number): void {
    this.#cache.capTtl(maxMs);
  }

  /** Bytes accounted for the entries held. */
  get bytes(): number {
    return this.#cache.bytes;
  }

  /** Number of entries held (expired ones included until touched). */
  get size(): number {
    return this.#cache.size;
  }

  #put(id: string, entry: T, life: NearEntryLife): void {
    let ttlMs = life.ttlMs ?? Number.POSITIVE_INFINITY;
    if (this.#lifeCap) ttlMs = Math.min(ttlMs, this.#lifeCap());
    if (life.startedAt !== undefined) {
      ttlMs = Math.min(ttlMs, this.#cache.ttlMs - (this.#now() - life.startedAt));
    }
    this.#cache.delete(id);
    if (ttlMs > 0) this.#cache.set(id, entry, Math.min(ttlMs, this.#cache.ttlMs));
  }
}
