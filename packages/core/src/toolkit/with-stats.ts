/**
 * Counts the bytes that cross the wire, under everything that could answer without a request
 * (near cache, single flight): put it directly over the client's store so only real transfers
 * count.
 */
import type { CacheKey, CacheStore, CacheValue, CallOptions, SetOptions } from '../contract';
import type { CacheStats } from './cache-stats';
import { traced } from './telemetry';

const encoder = new TextEncoder();

/**
 * Wraps `store` so `stats.bytesRead` grows by every value a `get` returns and `stats.bytesWritten`
 * by every value a `set` sent (counted once the write succeeded). Keys are not counted. With
 * `useOpenTelemetry(api)` called, each call is also a span (see telemetry.ts).
 *
 * @example const store = withSingleFlight(withChunking(withStats(client.cache(name), stats)));
 */
export function withStats(store: CacheStore, stats: CacheStats): CacheStore {
  return {
    cacheName: store.cacheName,
    async get(key: CacheKey, opts?: CallOptions) {
      const value = await traced('get', store.cacheName, () => store.get(key, opts));
      if (value !== undefined) stats.count('bytesRead', value.byteLength);
      return value;
    },
    async set(key: CacheKey, value: CacheValue, opts?: SetOptions) {
      await traced('set', store.cacheName, () => store.set(key, value, opts));
      const bytes = typeof value === 'string' ? encoder.encode(value).byteLength : value.byteLength;
      stats.count('bytesWritten', bytes);
    },
    delete: (key: CacheKey, opts?: CallOptions) =>
      traced('delete', store.cacheName, () => store.delete(key, opts)),
  };
}
