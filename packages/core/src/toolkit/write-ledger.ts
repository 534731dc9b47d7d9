/**
 * A write of this process still in flight: a value being stored, a delete, or a value still being
 * produced (its promise settles once the value is known and stored, or given up).
 */
export type PendingWrite<V> =
  | { kind: 'set'; value: V }
  | { kind: 'delete' }
  | { kind: 'producing'; settled: Promise<void> };

/**
 * Read-your-writes within a process: the writes still in flight, by key, so a read issued after a
 * write of the same key sees what was written (or that it was deleted) even before the store
 * answered. That is what an in-memory store or one ordered Redis connection gives; over HTTP,
 * a read on another connection could otherwise overtake the write (cache-manager refreshes with
 * a write it does not await, then reads).
 *
 * Only the newest write of a key is answered from; an entry leaves the ledger when that write
 * settles (then the store holds the value, or the write failed and was reported, and reads go to
 * the store again). Memory is bounded by the writes in flight.
 *
 * @example
 * const ledger = new WriteLedger<Entry>();
 * const write = ledger.track(key, { kind: 'set', value: entry }, () => store.set(key, bytes));
 * ledger.pending(key); // { kind: 'set', value: entry } until `write` settles
 */
export class WriteLedger<V> {
  readonly #pending = new Map<string, { token: number; write: PendingWrite<V> }>();
  #seq = 0;

  /**
   * Runs `write` for `id`, answering reads of `id` from `intent` until it settles; returns its
   * promise (so a failure still reaches the caller).
   */
  track<R>(id: string, intent: PendingWrite<V>, write: () => Promise<R>): Promise<R> {
    const token = ++this.#seq;
    this.#pending.set(id, { token, write: intent });
    let running: Promise<R>;
    try {
      running = write();
    } catch (error) {
      running = Promise.reject(error);
    }
    const settle = () => {
      if (this.#pending.get(id)?.token === token) this.#pending.delete(id);
    };
    running.then(settle, settle);
    return running;
  }

  /** The newest write of `id` still in flight, if any. Synchronous. */
  pending(id: string): PendingWrite<V> | undefined {
    return this.#pending.get(id)?.write;
  }

  /** Number of keys with a write in flight. */
  get size(): number {
    return this.#pending.size;
  }
}
