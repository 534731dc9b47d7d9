import { InvalidArgumentError, TimeoutError } from '../client/errors';
import type { CallOptions } from '../contract';

/** Options for {@link Deadline}. */
export interface DeadlineOptions {
  /** The caller's signal: aborting it ends the operation at once, with the signal's reason. */
  signal?: AbortSignal | undefined;
  /**
   * Whether each cache call also gets `signal` ({@link Deadline.callOptions}), so an abort cancels
   * its request too. `false` for a signal many operations share (a store's "disconnect"): every
   * layer of every call would add and remove an abort listener, which costs more than the call's
   * own work; the operation is still released at once on abort, and its requests end within the
   * time left. @default true
   */
  signalCalls?: boolean;
  /** What the operation is, for the `TimeoutError` message (e.g. `'keyv get'`). @default 'cache operation' */
  operation?: string;
  /** Monotonic clock in ms, injectable for tests. @default performance.now */
  now?: () => number;
}

type Waiter = (error: unknown) => void;
const monotonic = () => performance.now();
/** Longer delays overflow `setTimeout` (it would fire at once); the timer re-arms for the rest. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * One deadline for one user-level operation (a page render, a `keyv.getMany`, an evict by tags):
 * every cache call the operation makes shares it, so three reads one after another cost at most
 * `timeoutMs` together, not three times over.
 *
 * - {@link run} / {@link race} reject with core's `TimeoutError` when the time is up, or with the
 *   caller's abort reason; {@link raceOr} resolves to a fallback instead (for "serve a miss").
 * - Each call gets the time that is left ({@link callOptions}), so the client ends its request
 *   and its retries by the same moment.
 * - Cheap when nothing waits: creating a deadline reads the clock once; a timer is created only
 *   when a call is actually pending, one per deadline however many calls share it, and it never
 *   keeps a Node process alive. Work that finishes synchronously (a near-cache hit) costs no timer.
 * - No AbortSignal is created unless {@link signal} is asked for: adding an abort listener costs
 *   more than a near-cache hit, and the client already stops at `timeoutMs`.
 *
 * @example
 * const deadline = new Deadline(500, { signal: req.signal, operation: 'express read' });
 * const spec = await deadline.run((o) => store.get(specKey, o));
 * const entry = await deadline.run((o) => store.get(variantKey, o)); // shares the 500 ms
 */
export class Deadline {
  /** The whole budget, in ms. */
  readonly timeoutMs: number;
  readonly #expiresAt: number;
  readonly #now: () => number;
  readonly #operation: string;
  readonly #outer: AbortSignal | undefined;
  readonly #signalCalls: boolean;
  readonly #waiters = new Set<Waiter>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #controller: AbortController | undefined;
  #onOuterAbort: (() => void) | undefined;
  /** Created once, so every call of the operation rejects with the same error. */
  #timedOut: TimeoutError | undefined;

  /** @throws InvalidArgumentError when `timeoutMs` is not a finite number above 0. */
  constructor(timeoutMs: number, options: DeadlineOptions = {}) {
    if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new InvalidArgumentError(`timeoutMs must be a finite number above 0, got ${timeoutMs}`);
    }
    this.timeoutMs = timeoutMs;
    this.#now = options.now ?? monotonic;
    this.#expiresAt = this.#now() + timeoutMs;
    this.#operation = options.operation ?? 'cache operation';
    this.#outer = options.signal;
    this.#signalCalls = options.signalCalls ?? true;
  }

  /** Milliseconds left (0 once expired). */
  remainingMs(): number {
    return Math.max(0, this.#expiresAt - this.#now());
  }

  /** True once the time is up or the caller aborted. */
  get expired(): boolean {
    return this.#outer?.aborted === true || this.remainingMs() === 0;
  }

  /**
   * Options for one cache call: the time left (never more than `extra.timeoutMs`) and the
   * caller's signal (unless `signalCalls: false`). Other fields of `extra` (e.g. `ttlSeconds`)
   * pass through.
   */
  callOptions<O extends CallOptions>(extra?: O): O & CallOptions {
    const left = Math.max(1, Math.ceil(this.remainingMs()));
    const timeoutMs = extra?.timeoutMs === undefined ? left : Math.min(extra.timeoutMs, left);
    const signal = extra?.signal ?? (this.#signalCalls ? this.#outer : undefined);
    return { ...(extra as O), timeoutMs, ...(signal ? { signal } : {}) };
  }

  /**
   * An AbortSignal that aborts when the deadline passes (reason: a `TimeoutError`) or the
   * caller's signal aborts (its reason). Created on first use; hand it to work that should stop
   * with the operation (an origin fetch, a custom store).
   */
  get signal(): AbortSignal {
    if (!this.#controller) {
      const controller = new AbortController();
      this.#controller = controller;
      const failure = this.#failure();
      if (failure) {
        controller.abort(failure);
      } else {
        // A waiter that never resolves anything keeps the timer armed until expiry.
        this.#wait(() => {});
        this.#watchOuter();
      }
    }
    return this.#controller.signal;
  }

  /**
   * Runs `work` with {@link callOptions}; rejects with `TimeoutError` once the time is up (or the
   * caller's abort reason). Not started at all when the deadline has already passed. A value
   * returned synchronously resolves without any timer.
   */
  run<T>(work: (options: CallOptions) => T | PromiseLike<T>): Promise<T> {
    const failure = this.#failure();
    if (failure) return Promise.reject(failure);
    let result: T | PromiseLike<T>;
    try {
      result = work(this.callOptions());
    } catch (error) {
      return Promise.reject(error);
    }
    return this.race(result);
  }

  /** Settles like `work`, or rejects with `TimeoutError` (or the abort reason) if that comes first. */
  race<T>(work: T | PromiseLike<T>): Promise<T> {
    if (!isThenable(work)) return Promise.resolve(work);
    const failure = this.#failure();
    // A late rejection after the deadline must not surface as an unhandled rejection.
    Promise.resolve(work).catch(() => {});
    if (failure) return Promise.reject(failure);
    return new Promise<T>((resolve, reject) => {
      const done = this.#wait(reject);
      work.then(
        (value) => {
          done();
          resolve(value);
        },
        (error: unknown) => {
          done();
          reject(error);
        },
      );
    });
  }

  /**
   * Settles like `work`, but resolves to `fallback` when the time is up or the caller aborts
   * first (a slow read served as a miss, a purge the response stops waiting for). A rejection of
   * `work` still rejects.
   */
  raceOr<T, F>(work: T | PromiseLike<T>, fallback: F): Promise<T | F> {
    return this.race(work).catch((error: unknown) => {
      if (error === this.#failure()) return fallback;
      throw error;
    });
  }

  /** The reason the operation is over, or `undefined` while it still runs. */
  #failure(): unknown {
    if (this.#outer?.aborted) return this.#outer.reason;
    if (this.remainingMs() > 0) return undefined;
    this.#timedOut ??= new TimeoutError(
      `${this.#operation} did not finish within ${this.timeoutMs} ms`,
    );
    return this.#timedOut;
  }

  /** Registers a waiter failed at expiry or abort; returns its removal. Arms the one timer. */
  #wait(fail: Waiter): () => void {
    this.#waiters.add(fail);
    if (this.#timer === undefined) {
      this.#timer = setTimeout(() => this.#expire(), this.#timerDelay());
      (this.#timer as { unref?: () => void }).unref?.();
      this.#watchOuter();
    }
    return () => {
      this.#waiters.delete(fail);
      if (this.#waiters.size === 0) this.#disarm();
    };
  }

  #timerDelay(): number {
    return Math.min(MAX_TIMER_MS, Math.max(1, Math.ceil(this.remainingMs())));
  }

  #watchOuter(): void {
    if (!this.#outer || this.#onOuterAbort) return;
    this.#onOuterAbort = () => this.#expire();
    this.#outer.addEventListener('abort', this.#onOuterAbort, { once: true });
  }

  #expire(): void {
    const failure = this.#failure();
    if (failure === undefined) {
      // The timer fired a little early (clock granularity): wait out the rest.
      this.#timer = setTimeout(() => this.#expire(), this.#timerDelay());
      (this.#timer as { unref?: () => void }).unref?.();
      return;
    }
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    this.#disarm();
    this.#controller?.abort(failure);
    for (const fail of waiters) fail(failure);
  }

  #disarm(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#onOuterAbort) {
      this.#outer?.removeEventListener('abort', this.#onOuterAbort);
      this.#onOuterAbort = undefined;
    }
  }
}

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as PromiseLike<T>).then === 'function'
  );
}
