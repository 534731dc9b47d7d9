import {
  ConnectionError,
  InvalidArgumentError,
  LimitExceededError,
  MomentoError,
  ServerError,
  TimeoutError,
} from '../client/errors';
import { ChunkingError, EnvelopeError } from './errors';

/** Options for {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. @default 5 */
  failures?: number;
  /** How long an open circuit refuses calls before letting one trial call through, in ms. @default 5000 */
  cooldownMs?: number;
  /**
   * Which errors count as a failure. @default {@link isOutage}: timeouts, connection errors, 5xx,
   * 429 and unknown errors; not a refused request (400/401/403/404/413) or an undecodable value.
   */
  countsAsFailure?: (error: unknown) => boolean;
  /** Monotonic clock in ms. @default performance.now (Next instruments `Date.now`) */
  now?: () => number;
}

/**
 * True for errors that say the cache is unreachable or overloaded: a caller should stop asking
 * for a while. A request the cache refused (bad key, auth, item too large) or a value that failed
 * to decode says nothing about the cache being up, so it does not count.
 */
export function isOutage(error: unknown): boolean {
  if (
    error instanceof TimeoutError ||
    error instanceof ConnectionError ||
    error instanceof ServerError ||
    error instanceof LimitExceededError
  ) {
    return true;
  }
  if (error instanceof MomentoError || error instanceof EnvelopeError) return false;
  if (error instanceof ChunkingError) return false;
  return true;
}

const CLOSED = 0;
const OPEN = 1;
const HALF_OPEN = 2;

/**
 * Stops asking a failing cache for a while, so an outage costs each request nothing instead of a
 * timeout. Closed: every call goes through; `failures` consecutive failures open it. Open: calls
 * are refused (`allows()` is false: serve a miss, skip the write) for `cooldownMs`. Then one trial
 * call goes through (half-open): its success closes the circuit, its failure opens it again. A
 * trial that never reports back is replaced by another after `cooldownMs`.
 *
 * Callers ask {@link allows} before a call and report {@link succeeded} / {@link failed} after
 * it. While closed, no clock is read.
 *
 * @example
 * const breaker = new CircuitBreaker({ failures: 5, cooldownMs: 5000 });
 * if (!breaker.allows()) return undefined; // a miss, at no cost
 * try { const v = await store.get(key); breaker.succeeded(); return v; }
 * catch (error) { breaker.failed(error); onError(error); return undefined; }
 */
export class CircuitBreaker {
  readonly failures: number;
  readonly cooldownMs: number;
  readonly #counts: (error: unknown) => boolean;
  readonly #now: () => number;
  #state = CLOSED;
  #consecutive = 0;
  /** Open: when the cooldown ends. Half-open: when the pending trial is given up on. */
  #until = 0;

  /** @throws InvalidArgumentError naming the option that is not a positive number. */
  constructor(options: CircuitBreakerOptions = {}) {
    const failures = options.failures ?? 5;
    const cooldownMs = options.cooldownMs ?? 5000;
    if (!Number.isSafeInteger(failures) || failures < 1) {
      throw new InvalidArgumentError(
        `failures must be a whole number of at least 1, got ${failures}`,
      );
    }
    if (typeof cooldownMs !== 'number' || !(cooldownMs >= 0) || cooldownMs === Infinity) {
      throw new InvalidArgumentError(`cooldownMs must be a finite number >= 0, got ${cooldownMs}`);
    }
    this.failures = failures;
    this.cooldownMs = cooldownMs;
    this.#counts = options.countsAsFailure ?? isOutage;
    this.#now = options.now ?? (() => performance.now());
  }

  /** `'closed'`, `'open'` or `'half-open'` (a trial call is out). */
  get state(): 'closed' | 'open' | 'half-open' {
    return this.#state === CLOSED ? 'closed' : this.#state === OPEN ? 'open' : 'half-open';
  }

  /**
   * Whether a call may go out now. After the cooldown the first caller gets `true` (the trial)
   * and the others `false` until it reports.
   */
  allows(): boolean {
    if (this.#state === CLOSED) return true;
    const now = this.#now();
    if (now < this.#until) return false;
    this.#state = HALF_OPEN;
    this.#until = now + this.cooldownMs;
    return true;
  }

  /** A call answered: the circuit closes and the failure count starts over. */
  succeeded(): void {
    this.#state = CLOSED;
    this.#consecutive = 0;
  }

  /**
   * A call failed with `error`. Counts only when `countsAsFailure(error)`; then opens the circuit
   * at `failures` in a row, or at once when it was the trial. Other errors change nothing.
   */
  failed(error: unknown): void {
    if (!this.#counts(error)) return;
    this.#consecutive++;
    if (this.#state === HALF_OPEN || this.#consecutive >= this.failures) {
      this.#state = OPEN;
      this.#until = this.#now() + this.cooldownMs;
    }
  }
}
