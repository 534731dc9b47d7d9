/**
 * The default answer to "failures are silent": a cache failure never fails a request, so without
 * a word from the adapter a misspelt cache name, a wrong key or a server that is down would look
 * like a cache that always misses. Each distinct cause is printed once per process, never once
 * per request; a user's `onError` replaces the report entirely.
 */
import { BoundedMap } from './bounded-map';
import type { CacheStats } from './cache-stats';
import { diagnoseFailure } from './failure-diagnosis';

/** The adapters that report through this (named in the message so the user knows who speaks). */
export type AdapterName = 'express' | 'nestjs' | 'next' | 'keyv';

/** What an adapter calls for every cache failure it swallowed. */
export type FailureHandler<Operation extends string = string> = (
  error: unknown,
  operation: Operation,
) => void;

export interface FailureReporterOptions<Operation extends string = string> {
  adapter: AdapterName;
  /** The user's handler: when given, it receives every failure and nothing is printed. */
  onError?: FailureHandler<Operation> | undefined;
  /** Names the cache in the message when an error carries no URL (a deadline that passed). */
  cacheName?: string | undefined;
  /** Where the default report goes (a framework's logger). @default console.warn */
  warn?: ((message: string) => void) | undefined;
  /** Counts every failure as `errors` (whoever handles it). */
  stats?: CacheStats | undefined;
}

/** Causes remembered per process; beyond this, the oldest may be reported again. */
const MAX_REMEMBERED_CAUSES = 256;

// On globalThis, so two copies of core in one process (ESM and CJS builds, or a bundled copy)
// still report each cause once.
const REPORTED = Symbol.for('momento-http.reported-failure-causes');
type Registry = { [REPORTED]?: BoundedMap<string, true> };

function reportedCauses(): BoundedMap<string, true> {
  const registry = globalThis as Registry;
  registry[REPORTED] ??= new BoundedMap<string, true>(MAX_REMEMBERED_CAUSES);
  return registry[REPORTED];
}

/**
 * The function an adapter calls with every cache failure it turns into a miss.
 *
 * @example
 * const report = createFailureReporter({ adapter: 'express', onError: options.onError });
 * report(error, 'read');
 */
export function createFailureReporter<Operation extends string = string>(
  options: FailureReporterOptions<Operation>,
): FailureHandler<Operation> {
  const { onError, stats } = options;
  if (onError) {
    return (error, operation) => {
      stats?.count('errors');
      try {
        onError(error, operation);
      } catch {
        // A throwing handler must not turn a swallowed cache failure into a failed request.
      }
    };
  }
  const warn = options.warn ?? ((message: string) => console.warn(message));
  return (error, operation) => {
    stats?.count('errors');
    const diagnosis = diagnoseFailure(error, options.cacheName);
    const seen = reportedCauses();
    if (seen.has(diagnosis.key)) return;
    seen.set(diagnosis.key, true);
    try {
      warn(formatFailure(options.adapter, operation, diagnosis));
    } catch {
      // Same rule as onError: reporting never fails the request.
    }
  };
}

/**
 * The report's text. First line: what failed, the likely cause and what to do; then what the
 * adapter did about it; last line: how to route or silence these reports.
 */
export function formatFailure(
  adapter: AdapterName,
  operation: string,
  diagnosis: { errorName: string; cause: string; fix: string },
): string {
  return [
    `[@momento-http/${adapter}] cache ${operation} failed: ${diagnosis.cause.replace(/\.$/, '')}: ${sentence(diagnosis.fix)}`,
    `  (${diagnosis.errorName}. The cache was skipped and nothing failed for the caller; each cause is reported once per process.)`,
    `  ${ROUTES[adapter]}`,
  ].join('\n');
}

/** How each adapter's user routes or silences the reports (its own option's name and place). */
const ROUTES: Record<AdapterName, string> = {
  express: 'Route these with onError, or pass onError: () => {} to silence them.',
  nestjs: 'Route these with MomentoCacheModule onError, or pass onError: () => {} to silence them.',
  next: "Route these with the handler's onError, or pass onError: () => {} to silence them.",
  keyv: "Route these with keyv.on('error', …) or the store's onError; onError: () => {} silences them.",
};

/** Ends `text` with exactly one full stop (error messages may bring their own). */
function sentence(text: string): string {
  return text.endsWith('.') ? text : `${text}.`;
}
