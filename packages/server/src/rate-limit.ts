/** A token bucket: `opsPerSecond` refill, `burst` capacity. */
export class TokenBucket {
  readonly #rate: number;
  readonly #burst: number;
  #tokens: number;
  #last = Date.now();

  constructor(opsPerSecond: number, burst: number) {
    this.#rate = opsPerSecond / 1000;
    this.#burst = burst;
    this.#tokens = burst;
  }

  /** Takes one token; returns 0 when allowed, else seconds to wait (for `Retry-After`). */
  take(now = Date.now()): number {
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#last) * this.#rate);
    this.#last = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - this.#tokens) / this.#rate / 1000));
  }
}
