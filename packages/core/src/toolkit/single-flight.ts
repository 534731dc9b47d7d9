/**
 * Single-flight: concurrent callers asking for the same key share one in-flight promise, so a
 * burst of identical reads (or fills) costs one request. Nothing is cached after it settles.
 *
 * @example
 * const flight = new SingleFlight<Uint8Array | undefined>();
 * const value = await flight.run(key, () => store.get(key));
 */
export class SingleFlight<V> {
  readonly #pending = new Map<string, Promise<V>>();

  /**
   * Runs `fn` unless a call for `key` is already in flight, in which case its promise is shared.
   * All sharers see the same result or the same rejection. The entry is removed once it settles,
   * so the next call after that starts a fresh request.
   */
  run(key: string, fn: () => Promise<V>): Promise<V> {
    const existing = this.#pending.get(key);
    if (existing) return existing;
    let promise: Promise<V>;
    try {
      promise = Promise.resolve(fn());
    } catch (error) {
      promise = Promise.reject(error);
    }
    this.#pending.set(key, promise);
    const settle = () => {
      if (this.#pending.get(key) === promise) this.#pending.delete(key);
    };
    promise.then(settle, settle);
    return promise;
  }

  /**
   * Stops sharing the in-flight call for `key` (it still completes for those already waiting).
   * Call it after a write to `key`, so later readers do not join a read that started before it.
   */
  forget(key: string): void {
    this.#pending.delete(key);
  }

  /** Number of keys with a call in flight. */
  get inFlight(): number {
    return this.#pending.size;
  }
}
