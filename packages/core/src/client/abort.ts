/**
 * A cheap abort source for one call. Node's `AbortController` plus one listener costs ~10-20 µs,
 * a noticeable share of a loopback request, so calls use this small object and only materialise
 * a real `AbortSignal` when a transport asks for one (`fetch` does; undici accepts this object).
 */

/** What undici (and this library) need from a signal: `aborted`, `reason` and abort listeners. */
export interface AbortLike {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export class CallAbort implements AbortLike {
  aborted = false;
  reason: unknown = undefined;
  #listeners: (() => void)[] | undefined;
  #controller: AbortController | undefined;

  /** Aborts once; later calls are ignored. Listeners run synchronously, like EventTarget's. */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.#controller?.abort(reason);
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (listeners) for (const listener of listeners) listener();
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    if (this.aborted) return;
    if (this.#listeners) this.#listeners.push(listener);
    else this.#listeners = [listener];
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const listeners = this.#listeners;
    if (!listeners) return;
    const i = listeners.indexOf(listener);
    if (i !== -1) listeners.splice(i, 1);
  }

  /** A real `AbortSignal` following this one, created on first use. */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.aborted) this.#controller.abort(this.reason);
    }
    return this.#controller.signal;
  }
}
