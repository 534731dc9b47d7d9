import { InvalidArgumentError } from '../client/errors';
import { show } from './option-checks';
/**
 * Maps `items` through the async `fn` with at most `limit` calls in flight, keeping input order
 * in the result. Momento's HTTP API has no batch calls, so batches (getMany, chunk reads, tag
 * reads) are many single calls; this bounds them so one batch cannot open hundreds of sockets.
 *
 * Rejects with the first error; after that no new calls start (calls already running finish
 * in the background and their results are dropped).
 *
 * @param limit maximum concurrent calls, a positive integer (`Infinity` allowed).
 * @throws InvalidArgumentError for an invalid `limit`.
 * @example const values = await mapConcurrent(keys, 16, (key) => store.get(key));
 */
export async function mapConcurrent<T, R>(
  items: Iterable<T>,
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  if (!(limit === Number.POSITIVE_INFINITY || (Number.isSafeInteger(limit) && limit >= 1))) {
    throw new InvalidArgumentError(
      `limit must be a positive whole number or Infinity, got ${show(limit)}`,
    );
  }
  const list = Array.from(items);
  const results = new Array<R>(list.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < list.length) {
      const index = next++;
      try {
        results[index] = await fn(list[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const workers = Array.from({ length: Math.min(limit, list.length) }, worker);
  await Promise.all(workers);
  return results;
}

/** Settles like `promise`, or rejects with the signal's reason as soon as it aborts. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
