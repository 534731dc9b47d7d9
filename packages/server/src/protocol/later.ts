/**
 * A value that arrives later, without a promise: whoever settles it runs the one listener right
 * away, in the same event. The node transport hands one out for a request body so a memory-mode
 * PUT is answered from the body's 'end' event, as GET is from the request event; a microtask hop
 * before writing the answer costs a bare node:http server about 7% of its PUT throughput.
 * It is also a thenable, so `await` and promise code that meet one still work.
 */
export class Later<T> implements PromiseLike<T> {
  #state: 'pending' | 'resolved' | 'rejected' = 'pending';
  #value: unknown;
  #onValue: ((value: T) => void) | undefined;
  #onError: ((error: unknown) => void) | undefined;

  /** Settles with a value, or with what a promise or thenable settles to. */
  resolve(value: T | PromiseLike<T>): void {
    if (this.#state !== 'pending') return;
    if (isThenable(value)) {
      value.then(
        (v) => this.resolve(v),
        (e) => this.reject(e),
      );
      return;
    }
    this.#state = 'resolved';
    this.#value = value;
    this.#onValue?.(value);
  }

  reject(error: unknown): void {
    if (this.#state !== 'pending') return;
    this.#state = 'rejected';
    this.#value = error;
    this.#onError?.(error);
  }

  /** Sets the single listener; runs it now if already settled. */
  listen(onValue: (value: T) => void, onError: (error: unknown) => void): void {
    if (this.#state === 'resolved') onValue(this.#value as T);
    else if (this.#state === 'rejected') onError(this.#value);
    else {
      this.#onValue = onValue;
      this.#onError = onError;
    }
  }

  // biome-ignore lint/suspicious/noThenProperty: deliberately a thenable (see the class comment)
  then<A = T, B = never>(
    onValue?: ((value: T) => A | PromiseLike<A>) | null,
    onError?: ((error: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return new Promise<T>((resolve, reject) => this.listen(resolve, reject)).then(onValue, onError);
  }
}

/** Whether a value is a promise or another thenable (a protocol response never is). */
export const isThenable = <T>(value: unknown): value is PromiseLike<T> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';
