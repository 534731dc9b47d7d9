import type { CacheKey, CacheStore, CacheValue, CallOptions, SetOptions } from '../contract';
import { WriteQueue } from './write-queue';

type WriteJob =
  | { value: CacheValue; options: SetOptions | undefined }
  | { value?: undefined; options: CallOptions | undefined };

/**
 * The store with one key's writes and deletes sent in call order ({@link WriteQueue}): HTTP
 * requests on separate connections can arrive in any order, so two writes of one key could
 * otherwise leave the older value on the server. Reads pass straight through.
 */
export function withWriteOrder(store: CacheStore): CacheStore {
  const queue = new WriteQueue<WriteJob>((id, job) =>
    job.value === undefined ? store.delete(id, job.options) : store.set(id, job.value, job.options),
  );
  const idOf = (key: CacheKey) => (typeof key === 'string' ? key : undefined);
  return {
    cacheName: store.cacheName,
    get: (key, options) => store.get(key, options),
    set(key, value, options) {
      const id = idOf(key);
      return id === undefined ? store.set(key, value, options) : queue.run(id, { value, options });
    },
    delete(key, options) {
      const id = idOf(key);
      return id === undefined ? store.delete(key, options) : queue.run(id, { options });
    },
  };
}
