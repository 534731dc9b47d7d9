import { type CacheStore, TagStore } from '@momento-http/core';
import type { CacheOperation } from './options';

/** How long an instance trusts the purge-all time it last read before reading it again. */
export const PURGE_ALL_CHECK_MS = 1000;

/**
 * `purge({ all: true })` without listing keys (the cache has no scan): the time of the last
 * purge-all is kept as one tag in the shared tag store, and every entry whose origin call started
 * before it counts as gone. Each instance reads that time at most once per second (one request
 * waits for the read; the others use the known value), so a purge reaches other instances within
 * about a second, and this instance at once.
 */
export class PurgeAll {
  readonly #tags: TagStore;
  readonly #tag: string;
  readonly #timeoutMs: number;
  readonly #onError: (error: unknown, operation: CacheOperation) => void;
  #purgedAt = 0;
  #checkedAt = Number.NEGATIVE_INFINITY;
  #reading: Promise<void> | undefined;
  /** Told once a purge-all's write settled (the near caches' bus announces it). */
  onPurged: (() => void) | undefined;

  constructor(
    store: CacheStore,
    keyPrefix: string,
    timeoutMs: number,
    onError: (error: unknown, operation: CacheOperation) => void,
  ) {
    this.#tags = new TagStore(store);
    this.#tag = `momento-http:all|${keyPrefix}`;
    this.#timeoutMs = timeoutMs;
    this.#onError = onError;
  }

  /** The purge-all time (epoch ms, 0 for never) when known recently; `undefined` means call `read()`. */
  known(): number | undefined {
    return Date.now() - this.#checkedAt < PURGE_ALL_CHECK_MS ? this.#purgedAt : undefined;
  }

  /** The purge-all time, read from the cache when the known one is over a second old. */
  async read(): Promise<number> {
    const known = this.known();
    if (known !== undefined) return known;
    this.#reading ??= this.#fetch().finally(() => {
      this.#reading = undefined;
    });
    await this.#reading;
    return this.#purgedAt;
  }

  async #fetch(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error('purge-all time read timed out')),
          this.#timeoutMs,
        );
      });
      const states = await Promise.race([this.#tags.read([this.#tag]), late]);
      this.#purgedAt = Math.max(this.#purgedAt, states.get(this.#tag)?.expired ?? 0);
    } catch (error) {
      // Keep the known time and try again in a second rather than on every request.
      this.#onError(error, 'tags');
    } finally {
      clearTimeout(timer);
      this.#checkedAt = Date.now();
    }
  }

  /** Records a purge-all now (rejects when the cache cannot be reached). */
  async purge(): Promise<void> {
    // This instance stops serving older entries at once; the others when they next read the time.
    this.#purgedAt = Math.max(this.#purgedAt, Date.now());
    try {
      await this.#tags.invalidate([this.#tag]);
    } finally {
      this.onPurged?.();
    }
  }

  /** Another instance purged everything: the next request reads the purge time again. */
  recheck(): void {
    this.#checkedAt = Number.NEGATIVE_INFINITY;
  }
}
