import type { CacheKey, CacheStore, CacheValue, CallOptions, SetOptions } from '../contract';
import { FencedNearCache } from './fenced-near-cache';
import { keyId } from './keys';
import type { NearCacheOptions } from './near-cache';

/** A store with an in-process near cache in front of it. */
export interface NearCachedStore extends CacheStore {
  /** The near cache itself (inspect it, or `clear()`/`invalidate()` it after an out-of-band change). */
  readonly near: FencedNearCache<Uint8Array>;
}

const encoder = new TextEncoder();
const byteSize = (value: Uint8Array) => value.byteLength;

/**
 * Puts a {@link FencedNearCache} (in-process LRU, byte bound, short TTL, write fencing) in front of
 * `store`, for callers that hold bytes. Adapters that hold decoded entries use
 * {@link FencedNearCache} directly (through `EntryCache`), so a hit costs no decode.
 *
 * Reads are served from memory while fresh; misses are not cached. A write through this wrapper
 * is served from memory as soon as it starts (a read issued after it sees it), and a read that
 * was in flight when a write to the same key started never fills the near cache with the older
 * value. A failed write leaves nothing near. Writes made by other processes are seen only after
 * `ttlMs` (default 1 s). A near entry never outlives the `ttlSeconds` it was written with. Values
 * are copied in and out.
 *
 * @example
 * const store = withNearCache(client.cache('default-cache'), { maxBytes: 8 << 20, ttlMs: 500 });
 */
export function withNearCache(
  store: CacheStore,
  options: NearCacheOptions<Uint8Array> = {},
): NearCachedStore {
  const near = new FencedNearCache<Uint8Array>({ sizeOf: byteSize, ...options });

  return {
    cacheName: store.cacheName,
    near,
    async get(key: CacheKey, opts?: CallOptions) {
      const id = keyId(key);
      const hit = near.get(id);
      if (hit) return new Uint8Array(hit);
      const token = near.beginRead();
      const value = await store.get(key, opts);
      if (value !== undefined) near.fill(id, new Uint8Array(value), token);
      return value;
    },
    async set(key: CacheKey, value: CacheValue, opts?: SetOptions) {
      const id = keyId(key);
      const bytes = typeof value === 'string' ? encoder.encode(value) : new Uint8Array(value);
      const life = { ttlMs: opts?.ttlSeconds === undefined ? undefined : opts.ttlSeconds * 1000 };
      const token = near.beginWrite(id, bytes, life);
      try {
        await store.set(key, value, opts);
      } catch (error) {
        near.endWrite(id, token, undefined);
        throw error;
      }
      near.endWrite(id, token, bytes, life);
    },
    async delete(key: CacheKey, opts?: CallOptions) {
      const id = keyId(key);
      const token = near.beginWrite(id);
      try {
        await store.delete(key, opts);
      } finally {
        near.endWrite(id, token, undefined);
      }
    },
  };
}
