import { type CallOptions, TimeoutError } from '@momento-http/core';

/**
 * Puts every operation under a deadline, so a dead or hung server never hangs the application:
 * the store is told `timeoutMs` (the client stops its request and retries by then), and the
 * operation settles by the deadline even if the store ignores it (a custom `CacheStore`).
 *
 * No AbortSignal is created per operation on purpose: adding an 'abort' listener costs tens of
 * microseconds in Node, more than a near-cache hit. A timer costs about one.
 */
export class Deadlines {
  readonly #timeoutMs: number;
  readonly #pending = new Set<(error: unknown) => void>();

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /** Runs `fn`, rejecting with a `TimeoutError` if it has not settled after `timeoutMs`. */
  run<T>(fn: (options: CallOptions) => Promise<T>): Promise<T> {
    const timeoutMs = this.#timeoutMs;
    return new Promise<T>((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        this.#pending.delete(fail);
      };
      const fail = (error: unknown) => {
        settle();
        reject(error);
      };
      const timer = setTimeout(
        () => fail(new TimeoutError(`KeyvMomento: no answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.#pending.add(fail);
      fn({ timeoutMs }).then((value) => {
        settle();
        resolve(value);
      }, fail);
    });
  }

  /** Fails every operation in flight now with `reason` (their requests end by their own deadline). */
  releaseAll(reason: unknown): void {
    for (const fail of [...this.#pending]) fail(reason);
  }
}
