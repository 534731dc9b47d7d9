/**
 * Where a KeyvMomento failure goes. Keyv's `'error'` event is the user's route: when something
 * hears it, that is all. When nothing does (no listener on the store, or on the Keyv it
 * forwards to), the failure would be silent, so core's failure reporter prints each distinct
 * cause once per process. A store `onError` option replaces that default.
 */
import { type CacheStats, createFailureReporter, type FailureHandler } from '@momento-http/core';
import type { SafeEmitter } from './emitter';

/** Keyv 5 and 6 both forward a store's errors with `(error) => this.emit("error", error)`. */
const FORWARDER = /\bemit\(\s*["']error["']/;

/** What this module needs of a Keyv instance (5 and 6 both have it). */
interface ListeningKeyv {
  listeners?: (event: string) => unknown[];
}

/** The Keyv each store was given to by `createKeyv` (the one case where it is known). */
const linkedKeyvs = new WeakMap<object, ListeningKeyv>();

/** Tells `store` which Keyv forwards its errors, so it can see whether that Keyv has listeners. */
export function linkKeyv(store: object, keyv: object): void {
  linkedKeyvs.set(store, keyv as ListeningKeyv);
}

export interface ErrorRouteOptions {
  onError?: FailureHandler | undefined;
  cacheName: string;
  stats: CacheStats;
}

export class ErrorRoute {
  readonly #emitter: SafeEmitter;
  readonly #report: FailureHandler;
  readonly #stats: CacheStats;
  readonly #routed: boolean;

  constructor(emitter: SafeEmitter, options: ErrorRouteOptions) {
    this.#emitter = emitter;
    this.#stats = options.stats;
    this.#routed = options.onError !== undefined;
    this.#report = createFailureReporter({
      adapter: 'keyv',
      onError: options.onError,
      cacheName: options.cacheName,
      stats: options.stats,
    });
  }

  /** Emits `'error'`, then hands `error` to `onError`, or to the default report if nobody heard. */
  report(error: unknown, operation: string): void {
    const heard = this.#deliver(error);
    if (this.#routed || !heard) this.#report(error, operation);
    else this.#stats.count('errors');
  }

  /**
   * Calls every `'error'` listener; whether one of them surely heard it. A listener that returns
   * `false` or throws did not (Keyv 6's forwarder, when its Keyv has no listener). Keyv 5's
   * forwarder says nothing either way: it counts as heard only when the Keyv it forwards to is
   * known (built by `createKeyv`) and has a listener.
   */
  #deliver(error: unknown): boolean {
    let heard = false;
    for (const listener of this.#emitter.listeners('error')) {
      let answer: unknown;
      try {
        answer = listener(error);
      } catch {
        continue;
      }
      if (answer === false) continue;
      if (answer === true || !FORWARDER.test(String(listener))) heard = true;
      else if ((linkedKeyvs.get(this.#emitter)?.listeners?.('error').length ?? 0) > 0) heard = true;
    }
    return heard;
  }
}
