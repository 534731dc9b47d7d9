import { type CallOptions, mapConcurrent } from '@momento-http/core';
import type { Generations } from './generations';

/** What a batch needs from its store. */
export interface BatchContext {
  /** Most items in flight at once. */
  concurrency: number;
  /** Runs one call under the store's per-operation deadline. */
  deadline<T>(fn: (options: CallOptions) => Promise<T>): Promise<T>;
}

/** A batch's results, and the first error if any item (or the generation read) failed. */
export interface BatchOutcome<R> {
  results: R[];
  failed: boolean;
  firstError: unknown;
}

/**
 * Runs `fn` for every item with at most `concurrency` in flight, each under its own deadline,
 * all under one generation of `space`: confirmed once for the whole batch, in parallel with the
 * first items (as `Operations.inGeneration` does for one key), and the batch is run again only if
 * the generation turned out to have changed. A failed item yields `fallback`.
 */
export async function runBatch<T, R, F>(
  ctx: BatchContext,
  space: Generations,
  items: readonly T[],
  fallback: F,
  fn: (item: T, prefix: string, options: CallOptions) => Promise<R>,
): Promise<BatchOutcome<R | F>> {
  const outcome: BatchOutcome<R | F> = { results: [], failed: false, firstError: undefined };
  const run = async (prefix: string) => {
    outcome.failed = false;
    outcome.results = await mapConcurrent(items, ctx.concurrency, async (item) => {
      try {
        return await ctx.deadline((o) => fn(item, prefix, o));
      } catch (error) {
        if (!outcome.failed) outcome.firstError = error;
        outcome.failed = true;
        return fallback;
      }
    });
  };
  try {
    const fresh = space.freshPrefix(Date.now());
    const known = fresh ?? space.knownPrefix();
    const confirming = fresh === undefined ? ctx.deadline((o) => space.confirm(o)) : undefined;
    confirming?.catch(() => {}); // awaited below; this only keeps it from going unhandled meanwhile
    const prefix = known ?? (await confirming!);
    await run(prefix);
    const confirmed = await confirming;
    if (confirmed !== undefined && confirmed !== prefix) await run(confirmed);
  } catch (error) {
    // The generation could not be read: no item can be served.
    outcome.results = items.map(() => fallback);
    outcome.failed = true;
    outcome.firstError = error;
  }
  return outcome;
}
