import { checkAtLeast } from './option-checks';
/** Options for {@link NearCache}. */
export interface NearCacheOptions<V = Uint8Array> {
  /** Upper bound on the summed size of entries (per `sizeOf`) plus a small per-entry overhead. @default 16 MiB */
  maxBytes?: number;
  /** How long an entry may be served from memory, in ms. Keep it short: other processes' writes are not seen. @default 1000 */
  ttlMs?: number;
  /** Size of a value in bytes. @default byteLength for bytes, 2 × length for strings, 1 KiB otherwise */
  sizeOf?: (value: V) => number;
  /** Clock in epoch ms (injectable for tests). @default Date.now */
  now?: () => number;
}

/** Default byte bound of a near cache: 16 MiB. */
export const DEFAULT_NEAR_CACHE_MAX_BYTES = 16 * 1024 * 1024;
/** Default near-cache TTL: 1 s. */
export const DEFAULT_NEAR_CACHE_TTL_MS = 1000;
/** Bookkeeping cost counted per entry, so many tiny entries still respect the bound. */
const ENTRY_OVERHEAD_BYTES = 64;

interface Entry<V> {
  value: V;
  size: number;
  expiresAt: number;
}

/**
 * An in-process LRU with a byte bound and a TTL: the optional L1 in front of Momento for hot reads.
 *
 * It only knows about writes made through this process. Entries from other processes' writes stay
 * stale for up to `ttlMs`, which is why the default TTL is one second.
 *
 * @example
 * const near = new NearCache({ maxBytes: 1 << 20, ttlMs: 500 });
 * near.set('k', bytes);
 * near.get('k');
 */
export class NearCache<V = Uint8Array> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #maxBytes: number;
  readonly #ttlMs: number;
  readonly #sizeOf: (value: V) => number;
  readonly #now: () => number;
  #bytes = 0;

  constructor(options: NearCacheOptions<V> = {}) {
    this.#maxBytes = options.maxBytes ?? DEFAULT_NEAR_CACHE_MAX_BYTES;
    this.#ttlMs = options.ttlMs ?? DEFAULT_NEAR_CACHE_TTL_MS;
    checkAtLeast('maxBytes', this.#maxBytes);
    checkAtLeast('ttlMs', this.#ttlMs);
    this.#sizeOf = options.sizeOf ?? defaultSizeOf;
    this.#now = options.now ?? Date.now;
  }

  /** The live value, refreshed as most recently used; `undefined` when absent or expired. */
  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.delete(key);
      return undefined;
    }
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /**
   * Stores `value` for `min(ttlMs, this cache's ttlMs)` and evicts least recently used entries
   * until the byte bound holds. A value larger than the whole bound is not kept (and any older
   * entry for the key is dropped, so a stale value is never served).
   */
  set(key: string, value: V, ttlMs = this.#ttlMs): void {
    this.delete(key);
    const ttl = Math.min(ttlMs, this.#ttlMs);
    const size = this.#sizeOf(value) + key.length * 2 + ENTRY_OVERHEAD_BYTES;
    if (!(ttl > 0) || size > this.#maxBytes) return;
    this.#entries.set(key, { value, size, expiresAt: this.#now() + ttl });
    this.#bytes += size;
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= entry.size;
    }
  }

  /**
   * Shortens the remaining life of every entry to at most `maxMs` from now (entries already due
   * sooner keep their time). For a caller whose freshness guarantee just weakened, e.g. a
   * coherence channel that dropped: what was kept for long must now expire soon.
   */
  capTtl(maxMs: number): void {
    checkAtLeast('maxMs', maxMs);
    const latest = this.#now() + maxMs;
    for (const entry of this.#entries.values()) {
      if (entry.expiresAt > latest) entry.expiresAt = latest;
    }
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.size;
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  /** The longest an entry is served, in ms (the `ttlMs` option). */
  get ttlMs(): number {
    return this.#ttlMs;
  }

  /** Bytes currently accounted (values plus per-entry overhead), expired entries included until touched. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Number of entries held, expired ones included until touched. */
  get size(): number {
    return this.#entries.size;
  }
}

function defaultSizeOf(value: unknown): number {
  if (value instanceof Uint8Array) return value.byteLength;
  if (typeof value === 'string') return value.length * 2;
  return 1024;
}
