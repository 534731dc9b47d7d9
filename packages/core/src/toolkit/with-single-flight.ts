import type { CacheKey, CacheStore, CacheValue, CallOptions, SetOptions } from '../contract';
import { raceAbort } from './concurrency';
import { keyId } from './keys';
import { SingleFlight } from './single-flight';

/**
 * Wraps `store` so concurrent `get`s of one key share one request.
 *
 * - Each caller gets its own copy of the bytes, and its own `signal` still works: aborting
 *   rejects that caller only, while the shared request carries on for the others.
 * - The shared request runs with the first caller's `timeoutMs` and without a signal.
 * - A `set` or `delete` of the key detaches the in-flight read (before and after the write), so a
 *   read that starts after a write completes never joins a read from before it.
 *
 * @example const store = withSingleFlight(client.cache('default-cache'));
 */
export function withSingleFlight(store: CacheStore): CacheStore {
  const flight = new SingleFlight<Uint8Array | undefined>();
  return {
    cacheName: store.cacheName,
    async get(key: CacheKey, opts?: CallOptions) {
      opts?.signal?.throwIfAborted();
      const shared = flight.run(keyId(key), () =>
        store.get(key, opts?.timeoutMs === undefined ? undefined : { timeoutMs: opts.timeoutMs }),
      );
      const value = await raceAbort(shared, opts?.signal);
      return value === undefined ? undefined : new Uint8Array(value);
    },
    async set(key: CacheKey, value: CacheValue, opts?: SetOptions) {
      const id = keyId(key);
      flight.forget(id);
      try {
        await store.set(key, value, opts);
      } finally {
        flight.forget(id);
      }
    },
    async delete(key: CacheKey, opts?: CallOptions) {
      const id = keyId(key);
      flight.forget(id);
      try {
        await store.delete(key, opts);
      } finally {
        flight.forget(id);
      }
    },
  };
}
