/** Options for {@link BackgroundRefresh}. */
export interface BackgroundRefreshOptions {
  /** A refresh still running after this long is forgotten, so another may start. @default 30000 */
  forgetAfterMs?: number;
  /** Where a refresh's failure goes (nobody awaits it). @default ignored */
  onError?: (error: unknown, key: string) => void;
}

/**
 * Stale-while-revalidate's background refreshes: at most one per key at a time, started after the
 * current turn of the event loop (so the stale answer goes out first), never awaited by anyone,
 * failures reported, and forgotten after `forgetAfterMs` if they never finish.
 *
 * @example
 * const refreshes = new BackgroundRefresh({ onError: report });
 * serveStale(entry);
 * refreshes.start(key, () => renderAndStore(key));
 */
export class BackgroundRefresh {
  readonly #running = new Map<string, object>();
  readonly #forgetAfterMs: number;
  readonly #onError: (error: unknown, key: string) => void;

  constructor(options: BackgroundRefreshOptions = {}) {
    this.#forgetAfterMs = options.forgetAfterMs ?? 30_000;
    this.#onError = options.onError ?? (() => {});
  }

  /** Starts `refresh` for `key` unless one is running; returns whether it started. */
  start(key: string, refresh: () => unknown): boolean {
    if (this.#running.has(key)) return false;
    const token = {};
    this.#running.set(key, token);
    const done = () => {
      clearTimeout(timer);
      if (this.#running.get(key) === token) this.#running.delete(key);
    };
    const timer = setTimeout(done, this.#forgetAfterMs);
    (timer as { unref?: () => void }).unref?.();
    setImmediate(() => {
      new Promise((resolve) => resolve(refresh()))
        .catch((error: unknown) => this.#onError(error, key))
        .finally(done);
    });
    return true;
  }

  /** Whether a refresh of `key` is running. */
  isRunning(key: string): boolean {
    return this.#running.has(key);
  }
}
