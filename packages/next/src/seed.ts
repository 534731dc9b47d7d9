import { isAbsolute, join } from 'node:path';
import {
  diagnoseFailure,
  InvalidArgumentError,
  isOutage,
  MomentoError,
  PermissionError,
} from '@momento-http/core';
import { type PrerenderedKind, readBuildOutput } from './build-output';
import type { IsrHandlerClass } from './isr';
import { loadNextSetup } from './next-setup';
import { type SeedHook, type SeedOutcome, seedHookOf } from './seed-hook';

/** Options of {@link seedCache}. */
export interface SeedOptions {
  /** The app's directory (where `next build` ran). @default process.cwd() */
  dir?: string;
  /** The build output, relative to `dir`. @default next.config's `distDir`, else '.next' */
  distDir?: string;
  /**
   * The app's `cacheHandler` class (the default export of the file next.config names). Pass it
   * from `instrumentation.ts`. @default the class next.config's `cacheHandler` names (loaded with
   * Next's own config loader from `dir`)
   */
  handler?: IsrHandlerClass;
  /** List what would be written; read and write nothing. @default false */
  dryRun?: boolean;
  /**
   * Write without reading first, for a key with the write right only. Safe only while no
   * instance of this build has served traffic (right after `next build`): a page rendered since
   * would be replaced by the build's older copy. @default false
   */
  writeOnly?: boolean;
  /** Entries in flight at once. @default 4 */
  concurrency?: number;
  /** Called after each entry (progress display). */
  onProgress?: (progress: SeedProgress) => void;
}

/** How far a seed run is. */
export interface SeedProgress {
  done: number;
  total: number;
  /** Bytes of build output read so far. */
  bytes: number;
  elapsedMs: number;
}

/** One entry that was not seeded, and why. */
export interface SeedFailure {
  /** The route (`/blog/a`) or `fetch-cache/<file>`. */
  name: string;
  error: unknown;
  /** The cause in words (core's failure diagnosis; never a key or a token). */
  message: string;
}

/** One entry of the build, as `--dry-run` lists it. */
export interface SeedEntry {
  name: string;
  kind: PrerenderedKind;
  outcome: SeedOutcome | 'failed' | 'not tried' | 'dry run';
}

/** What a seed run did. */
export interface SeedReport {
  buildId: string;
  dryRun: boolean;
  /** Entries found in the build output. */
  total: number;
  /** Stored in the cache. */
  written: number;
  /** Left alone: the cache held an entry at least as new (a render since the build, or an earlier seed). */
  kept: number;
  /** Not stored: older than its `expire` already. */
  expired: number;
  /** Could not be stored, each with its cause. */
  failed: SeedFailure[];
  /** Not tried: after a failure of the cache itself (down, key refused), the rest is skipped. */
  notTried: number;
  /** Bytes of build output read. */
  bytes: number;
  elapsedMs: number;
  entries: SeedEntry[];
}

/** A failure of the cache itself (down, wrong key, no right, no cache), not of one entry. */
const failsEveryEntry = (error: unknown) => error instanceof MomentoError || isOutage(error);

const message = (error: unknown) => {
  if (error instanceof MomentoError || isOutage(error)) {
    const { cause, fix } = diagnoseFailure(error);
    // The server's words say which right was missing ("does not allow writes to cache 'x'");
    // the status and the request's URL (which holds the key) that follow them are left out.
    const detail = error instanceof PermissionError ? ` (${error.message.split(' [')[0]})` : '';
    return `${cause}${detail}: ${fix}`;
  }
  return error instanceof Error ? error.message : String(error);
};

/**
 * Seeds the cache from a finished `next build`: every prerendered page (HTML, RSC payload, Next 16
 * segment data), route handler body and fetch-cache file goes through the app's `cacheHandler`
 * as a render at build time would have stored it, under the build id, so the first request of
 * each page after a deploy is a HIT. Reads first and keeps an entry at least as new as the
 * build's. Never rejects for a cache failure: the report lists what failed (the first failure of
 * the cache itself skips the rest). Rejects only when there is no build or no handler of this
 * package to write through.
 *
 * @example
 * // instrumentation.ts — seed at start-up, on platforms with no post-build step
 * export async function register() {
 *   if (process.env.NEXT_RUNTIME !== 'nodejs') return;
 *   const { seedCache } = await import('@momento-http/next/seed');
 *   const { default: handler } = await import('./cache-handler.mjs');
 *   void seedCache({ handler }); // in the background: requests are served meanwhile
 * }
 */
export async function seedCache(options: SeedOptions = {}): Promise<SeedReport> {
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InvalidArgumentError(`concurrency must be a positive integer, got ${concurrency}`);
  }
  const dir = options.dir ?? process.cwd();
  const setup =
    options.handler && options.distDir ? undefined : await loadNextSetup(dir, !options.handler);
  const distDirOption = options.distDir ?? setup?.distDir ?? '.next';
  const distDir = isAbsolute(distDirOption) ? distDirOption : join(dir, distDirOption);
  const handler = options.handler ?? setup?.cacheHandler;
  const hook = seedHookOf(handler);
  if (!hook) {
    throw new InvalidArgumentError(
      "handler must be a cacheHandler class made by @momento-http/next (its '/isr' default export or createIsrHandler())",
    );
  }
  const output = await readBuildOutput(distDir);
  const started = performance.now();
  const report: SeedReport = {
    buildId: output.buildId,
    dryRun: options.dryRun === true,
    total: output.sources.length,
    written: 0,
    kept: 0,
    expired: 0,
    failed: [],
    notTried: 0,
    bytes: 0,
    elapsedMs: 0,
    entries: output.sources.map(({ name, kind }) => ({ name, kind, outcome: 'not tried' })),
  };
  let next = 0;
  let done = 0;
  let cacheFailed = false;
  const seedOne = async (index: number, seed: SeedHook) => {
    const source = output.sources[index]!;
    const listed = report.entries[index]!;
    // A file of the build that cannot be read fails its entry only; the cache failing fails all.
    let reachedCache = false;
    try {
      const entry = await source.load();
      report.bytes += entry.bytes;
      if (report.dryRun) {
        listed.outcome = 'dry run';
        return;
      }
      reachedCache = true;
      listed.outcome = await seed(entry, {
        buildId: output.buildId,
        readFirst: options.writeOnly !== true,
      });
      report[listed.outcome]++;
    } catch (error) {
      listed.outcome = 'failed';
      report.failed.push({ name: source.name, error, message: message(error) });
      if (reachedCache && failsEveryEntry(error)) cacheFailed = true;
    } finally {
      done++;
      options.onProgress?.({
        done,
        total: report.total,
        bytes: report.bytes,
        elapsedMs: performance.now() - started,
      });
    }
  };
  const worker = async () => {
    while (next < output.sources.length && !cacheFailed) await seedOne(next++, hook);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  report.notTried = report.entries.filter((e) => e.outcome === 'not tried').length;
  report.elapsedMs = performance.now() - started;
  return report;
}
