import type { ItemKey, ItemStore } from './types.js';

/** Bytes charged per item on top of key and value: a rough cost of the Map entry and record. */
export const ENTRY_OVERHEAD_BYTES = 96;

interface Entry {
  value: Buffer;
  expiresAt: number;
  size: number;
}

/**
 * In-memory items with TTLs and an optional byte bound. One Map for all caches keeps insertion
 * order, so it doubles as the LRU list when a bound is set (a hit moves the entry to the end).
 * Expired items are never served: reads check the deadline, and a timer sweeps the rest.
 */
export class MemoryItemStore implements ItemStore {
  readonly #items = new Map<string, Entry>();
  readonly #maxBytes: number;
  readonly #lru: boolean;
  readonly #sweeper: NodeJS.Timeout;
  #bytes = 0;
  #evictions = 0;
  #lastSweep = 0;

  constructor(maxBytes = Number.POSITIVE_INFINITY, sweepIntervalMs = 5_000) {
    this.#maxBytes = maxBytes;
    this.#lru = Number.isFinite(maxBytes);
    this.#sweeper = setInterval(() => this.sweep(), sweepIntervalMs);
    this.#sweeper.unref();
  }

  get(cache: string, key: ItemKey): Buffer | undefined {
    const id = itemId(cache, key);
    const entry = this.#items.get(id);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.#remove(id, entry);
      return undefined;
    }
    if (this.#lru) {
      this.#items.delete(id);
      this.#items.set(id, entry);
    }
    return entry.value;
  }

  set(cache: string, key: ItemKey, value: Buffer, ttlSeconds: number): boolean {
    const size = key.length + value.length + cache.length + ENTRY_OVERHEAD_BYTES;
    if (size > this.#maxBytes) return false;
    const id = itemId(cache, key);
    const stored = ownsMemory(value) ? value : Buffer.from(value);
    const expiresAt = Date.now() + ttlSeconds * 1000;
    const previous = this.#items.get(id);
    if (previous === undefined) {
      this.#items.set(id, { value: stored, expiresAt, size });
    } else {
      // Overwrite in place: one Map lookup instead of delete + insert (which also leaves a
      // tombstone the Map must rehash away). Only the LRU order needs the entry moved to the end.
      this.#bytes -= previous.size;
      previous.value = stored;
      previous.expiresAt = expiresAt;
      previous.size = size;
      if (this.#lru) {
        this.#items.delete(id);
        this.#items.set(id, previous);
      }
    }
    this.#bytes += size;
    if (this.#bytes > this.#maxBytes) this.#evict();
    return true;
  }

  delete(cache: string, key: ItemKey): void {
    const id = itemId(cache, key);
    const entry = this.#items.get(id);
    if (entry !== undefined) this.#remove(id, entry);
  }

  stats() {
    return { bytes: this.#bytes, items: this.#items.size, evictions: this.#evictions };
  }

  /** Drops every expired item. */
  sweep(now = Date.now()): void {
    this.#lastSweep = now;
    for (const [id, entry] of this.#items) if (entry.expiresAt <= now) this.#remove(id, entry);
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#items.clear();
    this.#bytes = 0;
  }

  #evict(): void {
    // Expired items go first; then the least recently used, oldest first in Map order.
    // A full sweep is O(items): at most once a second, so a write flood stays cheap.
    if (Date.now() - this.#lastSweep > 1000) this.sweep();
    for (const [id, entry] of this.#items) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#remove(id, entry);
      this.#evictions++;
    }
  }

  #remove(id: string, entry: Entry): void {
    this.#items.delete(id);
    this.#bytes -= entry.size;
  }
}

/**
 * Whether a buffer is its whole memory (a concatenated body). A view into something larger (a
 * socket read with the headers in it, a pool slab) is copied, so an item never keeps the rest
 * alive; a multi-megabyte body that is already its own is not copied a second time.
 */
const ownsMemory = (value: Buffer): boolean =>
  value.byteOffset === 0 && value.byteLength === value.buffer.byteLength;

/** Cache names are `[A-Za-z0-9_.-]`, so NUL cannot occur in them; latin1 maps bytes 1:1 to chars. */
const itemId = (cache: string, key: ItemKey): string => `${cache}\0${key.id}`;
