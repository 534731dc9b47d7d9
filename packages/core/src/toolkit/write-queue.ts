/** A write waiting for the one in flight on its key, and the callers it answers for. */
interface Waiting<J> {
  job: J;
  callers: Array<{ resolve: () => void; reject: (error: unknown) => void }>;
}

/**
 * Runs the writes of one key one at a time, in call order, and coalesces the ones that wait.
 *
 * HTTP requests on different connections can arrive in any order, so two concurrent writes of one
 * key could otherwise leave the older value on the server (and the newer one in the near cache).
 * Here a write that finds another in flight on its key waits for it; if several wait, only the
 * last is sent, and the earlier ones succeed or fail with it: their values would have been
 * overwritten at once anyway, which is exactly what the caller of a later write asked for.
 */
export class WriteQueue<J> {
  readonly #exec: (id: string, job: J) => Promise<void>;
  /** Keys with a write in flight, mapped to the write waiting behind it (`null`: none). */
  readonly #inFlight = new Map<string, Waiting<J> | null>();

  constructor(exec: (id: string, job: J) => Promise<void>) {
    this.#exec = exec;
  }

  /** Runs `job` for `id` now, or after the write in flight on `id`. */
  run(id: string, job: J): Promise<void> {
    if (!this.#inFlight.has(id)) return this.#start(id, job);
    return new Promise<void>((resolve, reject) => {
      const waiting = this.#inFlight.get(id);
      if (waiting) {
        waiting.job = job; // the older waiting write would be overwritten at once: send only this
        waiting.callers.push({ resolve, reject });
      } else {
        this.#inFlight.set(id, { job, callers: [{ resolve, reject }] });
      }
    });
  }

  #start(id: string, job: J): Promise<void> {
    this.#inFlight.set(id, null);
    const done = this.#exec(id, job);
    const next = () => {
      const waiting = this.#inFlight.get(id);
      if (!waiting) {
        this.#inFlight.delete(id);
        return;
      }
      this.#start(id, waiting.job).then(
        () => {
          for (const caller of waiting.callers) caller.resolve();
        },
        (error: unknown) => {
          for (const caller of waiting.callers) caller.reject(error);
        },
      );
    };
    done.then(next, next);
    return done;
  }
}
