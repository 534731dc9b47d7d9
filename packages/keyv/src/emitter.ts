// biome-ignore lint/suspicious/noExplicitAny: listeners take whatever the event carries
type Listener = (...args: any[]) => void;

/**
 * The smallest event emitter Keyv needs (`on`, `once`, `off`, `emit`), safe by construction:
 * emitting `'error'` with no listener is a no-op (Node's EventEmitter would throw), and a listener
 * that throws cannot turn a cache call into a failure. Keyv 6 forwards store errors to its own
 * emitter, which throws when the application registered no `'error'` listener; that throw stops
 * here instead of escaping from `get()`.
 */
export class SafeEmitter {
  readonly #listeners = new Map<string, Listener[]>();

  /** Adds a listener. */
  on(event: string, listener: Listener): this {
    this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), listener]);
    return this;
  }

  /** Adds a listener that runs once. */
  once(event: string, listener: Listener): this {
    const wrapper: Listener = (...args) => {
      this.off(event, wrapper);
      listener(...args);
    };
    return this.on(event, wrapper);
  }

  /** Removes a listener (the first registration of it). */
  off(event: string, listener: Listener): this {
    const list = this.#listeners.get(event);
    const index = list?.indexOf(listener) ?? -1;
    if (list && index >= 0) {
      const next = list.filter((_, i) => i !== index);
      if (next.length) this.#listeners.set(event, next);
      else this.#listeners.delete(event);
    }
    return this;
  }

  /** Calls the listeners in order; returns whether there were any. Never throws. */
  emit(event: string, ...args: unknown[]): boolean {
    const list = this.#listeners.get(event);
    if (!list) return false;
    for (const listener of list) {
      try {
        listener(...args);
      } catch {
        // A failing listener must not fail the cache call that emitted (see the class comment).
      }
    }
    return true;
  }

  /** The listeners of `event`, in order (a copy). */
  listeners(event: string): Listener[] {
    return [...(this.#listeners.get(event) ?? [])];
  }

  /** Number of listeners for `event`. */
  listenerCount(event: string): number {
    return this.#listeners.get(event)?.length ?? 0;
  }
}
