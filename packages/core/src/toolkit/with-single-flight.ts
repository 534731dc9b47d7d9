import type { CacheKey, CacheStore, CacheValue, CallOptions, SetOptions } from '../contract';
import { raceAbort } from './concurrency';
import { keyId } from './keys';
import { SingleFlight } from './single-flight';

/**
 * Wraps `store` so concurrent `get`s of one key share one request.
 *
 * - Each caller gets bytes of its own (those who joined a request get a copy), and its own
 *   `signal` still works: aborting rejects that caller only, while the shared request carries on
 *   for the others.
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
      let started = false;
      const shared = flight.run(keyId(key), () => {
        started = true;
        return store.get(
          key,
          opts?.timeoutMs === undefined ? undefined : { timeoutMs: opts.timeoutMs },
        );
      });
      // The caller that started the request keeps its bytes; each one that joined gets a copy,
      // made the moment the request settles (before the starter's caller can change them).
      const mine = started
        ? shared
        : shared.then((value) => (value === undefined ? undefined : new Uint8Array(value)));
      return raceAbort(mine, opts?.signal);
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
