import type { CacheKey, CacheStore, CacheValue, CallOptions, SetOptions } from '../contract';
import { keyId } from './keys';
import { NearCache, type NearCacheOptions } from './near-cache';

/** A store with an in-process near cache in front of it. */
export interface NearCachedStore extends CacheStore {
  /** The near cache itself (inspect it, or `clear()` it after an out-of-band change). */
  readonly near: NearCache<Uint8Array>;
}

const encoder = new TextEncoder();
/** Past this many tracked keys, forget them all and refuse fills from reads started earlier. */
const MAX_TRACKED_WRITES = 10_000;

/**
 * Puts a {@link NearCache} (in-process LRU, byte bound, short TTL) in front of `store`.
 *
 * Reads are served from memory while fresh; misses are not cached. Writes and deletes through
 * this wrapper go to the store and update (or drop) the near entry, and a read that was already in
 * flight when a write to the same key started never fills the near cache with the older value.
 * Writes made by other processes are seen only after `ttlMs` (default 1 s). A near entry never
 * outlives the `ttlSeconds` it was written with. Values are copied in and out.
 *
 * @example
 * const store = withNearCache(client.cache('default-cache'), { maxBytes: 8 << 20, ttlMs: 500 });
 */
export function withNearCache(
  store: CacheStore,
  options: NearCacheOptions<Uint8Array> = {},
): NearCachedStore {
  const near = new NearCache<Uint8Array>(options);
  // Write sequence numbers: a read fills the near cache only if no write to its key started
  // after the read did (otherwise it may carry the value from before that write).
  let seq = 0;
  let floor = 0;
  const lastWrite = new Map<string, number>();
  const markWrite = (id: string): number => {
    if (lastWrite.size >= MAX_TRACKED_WRITES) {
      lastWrite.clear();
      floor = seq + 1;
    }
    lastWrite.set(id, ++seq);
    return seq;
  };
  const mayFill = (id: string, startedAt: number) =>
    startedAt >= floor && (lastWrite.get(id) ?? 0) <= startedAt;

  return {
    cacheName: store.cacheName,
    near,
    async get(key: CacheKey, opts?: CallOptions) {
      const id = keyId(key);
      const hit = near.get(id);
      if (hit) return new Uint8Array(hit);
      const startedAt = seq;
      const value = await store.get(key, opts);
      if (value !== undefined && mayFill(id, startedAt)) near.set(id, new Uint8Array(value));
      return value;
    },
    async set(key: CacheKey, value: CacheValue, opts?: SetOptions) {
      const id = keyId(key);
      const bytes = typeof value === 'string' ? encoder.encode(value) : new Uint8Array(value);
      near.delete(id);
      const mine = markWrite(id);
      try {
        await store.set(key, value, opts);
      } catch (error) {
        markWrite(id);
        throw error;
      }
      // Only the most recent write from this process may fill; then fence off older reads.
      const latest = lastWrite.get(id) === mine;
      markWrite(id);
      if (latest) {
        near.set(id, bytes, opts?.ttlSeconds === undefined ? undefined : opts.ttlSeconds * 1000);
      }
    },
    async delete(key: CacheKey, opts?: CallOptions) {
      const id = keyId(key);
      near.delete(id);
      markWrite(id);
      try {
        await store.delete(key, opts);
      } finally {
        markWrite(id);
      }
    },
  };
}
