/**
 * The figures every adapter's `stats()` returns, counted in one place so they mean the same thing
 * in every adapter. Plain counters: incrementing one costs an addition, no timer, no allocation
 * (plus an OpenTelemetry counter's `add` once the app called `useOpenTelemetry`).
 */
import { countTelemetry } from './telemetry';

/** What `stats()` returns: counts since the process started (or the last `reset()`). */
export interface CacheStatsSnapshot {
  /** Reads answered from the cache with a fresh entry (near-cache hits included). */
  hits: number;
  /** Reads the cache could not answer: absent, expired (by TTL or by tag), or failed. */
  misses: number;
  /** Reads answered with a stale entry (served while it is revalidated). */
  stale: number;
  /** Cache failures the adapter swallowed (each also reported through `onError`). */
  errors: number;
  /** The part of `hits` answered from this process's memory, with no request. */
  nearHits: number;
  /** Bytes of values received from the cache server. */
  bytesRead: number;
  /** Bytes of values sent to the cache server. */
  bytesWritten: number;
}

/** A read's outcome as the engine gives it (a `TaggedEntryReader` or `EntryCache` read). */
export interface ReadOutcome {
  /** `undefined` (or no outcome at all) is a miss. */
  entry?: unknown;
  verdict?: 'fresh' | 'stale';
  source?: 'pending' | 'near' | 'store';
}

export class CacheStats {
  #counts: CacheStatsSnapshot = empty();

  /**
   * Counts one user-level read from the engine's answer: no entry → miss; `verdict: 'stale'` →
   * stale; otherwise a hit, and a near hit when it came from memory (`'near'` or a write still
   * in flight, `'pending'`).
   */
  recordRead(outcome: ReadOutcome | undefined): void {
    if (outcome === undefined || outcome.entry === undefined) this.count('misses');
    else if (outcome.verdict === 'stale') this.count('stale');
    else {
      this.count('hits');
      if (outcome.source === 'near' || outcome.source === 'pending') this.count('nearHits');
    }
  }

  /** Adds `n` to one figure (for outcomes an adapter decides itself, such as a miss by policy). */
  count(figure: keyof CacheStatsSnapshot, n = 1): void {
    this.#counts[figure] += n;
    countTelemetry(figure, n);
  }

  /** A copy of the figures (later counting does not change it). */
  snapshot(): CacheStatsSnapshot {
    return { ...this.#counts };
  }

  reset(): void {
    this.#counts = empty();
  }
}

function empty(): CacheStatsSnapshot {
  return { hits: 0, misses: 0, stale: 0, errors: 0, nearHits: 0, bytesRead: 0, bytesWritten: 0 };
}
