import type { CacheKey, CacheStore, CacheValue, CallOptions, SetOptions } from '@momento-http/core';

/** Raised when a store call misses its deadline; the callers treat it as a miss / dropped write. */
export class StoreTimeoutError extends Error {
  override readonly name = 'StoreTimeoutError';
  constructor(operation: string, timeoutMs: number) {
    super(`cache ${operation} did not settle within ${timeoutMs} ms`);
  }
}

/**
 * Gives every call of `store` a deadline. The store is told (`timeoutMs` and an aborting
 * `signal`), and the promise is also raced against a timer, because a store that ignores both
 * must still not hang a request (cache-manager #797: no layer of Nest's cache has a timeout).
 */
export function withTimeBox(store: CacheStore, timeoutMs: number): CacheStore {
  const boxed = <T>(
    operation: string,
    options: SetOptions | undefined,
    call: (options: SetOptions) => Promise<T>,
  ): Promise<T> => {
    const controller = new AbortController();
    const outer = options?.signal;
    if (outer?.aborted) return Promise.reject(outer.reason);
    const onOuterAbort = () => controller.abort(outer?.reason);
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    const limit = Math.min(timeoutMs, options?.timeoutMs ?? timeoutMs);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new StoreTimeoutError(operation, limit);
        controller.abort(error);
        reject(error);
      }, limit);
    });
    return Promise.race([
      call({ ...options, timeoutMs: limit, signal: controller.signal }),
      deadline,
    ]).finally(() => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    });
  };
  return {
    cacheName: store.cacheName,
    get: (key: CacheKey, options?: CallOptions) => boxed('get', options, (o) => store.get(key, o)),
    set: (key: CacheKey, value: CacheValue, options?: SetOptions) =>
      boxed('set', options, (o) => store.set(key, value, o)),
    delete: (key: CacheKey, options?: CallOptions) =>
      boxed('delete', options, (o) => store.delete(key, o)),
  };
}
