/**
 * The figures of every Next cache handler in this process (ISR and `use cache` alike): Next
 * builds the handlers itself, so there is no instance to ask; one counter set per process is.
 */
import { CacheStats, type CacheStatsSnapshot } from '@momento-http/core';

// On globalThis: Next may load the ESM and the CJS build of this package in one process.
const SHARED = Symbol.for('momento-http.next.stats');
type Registry = { [SHARED]?: CacheStats };

/** The process's counters (created on first use). */
export function processStats(): CacheStats {
  const registry = globalThis as Registry;
  registry[SHARED] ??= new CacheStats();
  return registry[SHARED];
}

/**
 * The figures of this process's cache handlers since it started: one read per `get` Next made
 * (`hits`, `misses`, `stale`, `nearHits`), `errors` swallowed, `bytesRead`/`bytesWritten` of
 * entries and tags.
 *
 * @example
 * import { stats } from '@momento-http/next';
 * export function GET() { return Response.json(stats()); }
 */
export function stats(): CacheStatsSnapshot {
  return processStats().snapshot();
}
