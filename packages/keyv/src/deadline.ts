import { type CallOptions, TimeoutError } from '@momento-http/core';

/**
 * Runs `fn` under a deadline of `timeoutMs`: the store gets the deadline and an abort signal, and
 * the returned promise settles by the deadline even when the store ignores both (a custom
 * `CacheStore`, or a hung socket), so a dead server never hangs the application.
 *
 * `inFlight` tracks the running calls so `disconnect()` can abort them.
 */
export async function withDeadline<T>(
  timeoutMs: number,
  inFlight: Set<AbortController>,
  fn: (options: CallOptions) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const { signal } = controller;
  inFlight.add(controller);
  const timer = setTimeout(
    () => controller.abort(new TimeoutError(`KeyvMomento: no answer within ${timeoutMs} ms`)),
    timeoutMs,
  );
  try {
    return await new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      fn({ signal, timeoutMs }).then(resolve, reject);
    });
  } finally {
    clearTimeout(timer);
    inFlight.delete(controller);
  }
}
