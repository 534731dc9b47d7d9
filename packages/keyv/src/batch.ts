/**
 * At most `limit` tasks running at once, in the order they asked. Unlike `mapConcurrent`, a task
 * is registered the moment it is asked for, so a batch write can record every key as pending
 * (read-your-writes) before any of them has a slot.
 */
export class Gate {
  readonly #limit: number;
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Runs `task` once a slot is free. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    // A finished task hands its slot to the next waiting one, so none can slip in between.
    if (this.#running >= this.#limit) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running++;
    }
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }
}

/** The first error of a batch: a batch reports once, however many of its items failed. */
export class FirstError {
  #error: unknown;
  #failed = false;

  /** Keeps `error` if it is the first; returns `fallback` for the failed item. */
  keep<F>(error: unknown, fallback: F): F {
    if (!this.#failed) this.#error = error;
    this.#failed = true;
    return fallback;
  }

  get failed(): boolean {
    return this.#failed;
  }

  get error(): unknown {
    return this.#error;
  }
}
