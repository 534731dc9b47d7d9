import type { PrerenderedEntry } from './build-output';

/**
 * How the seed reaches a `cacheHandler` class made by `createIsrHandler`: a static method under
 * this registry symbol (the app's handler module and the seed may load separate copies of the
 * package), writing through that class's own options and engine.
 */
export const SEED_HOOK: unique symbol = Symbol.for('@momento-http/next.seed') as never;

/** What seeding one entry did: stored it, kept a newer one already there, or found it expired. */
export type SeedOutcome = 'written' | 'kept' | 'expired';

export interface SeedHookOptions {
  /** The build the entry comes from: page keys live under it unless `keyPrefix` is set. */
  buildId: string;
  /** Read first and keep an entry at least as new (false: write blindly, for write-only keys). */
  readFirst: boolean;
}

export type SeedHook = (entry: PrerenderedEntry, options: SeedHookOptions) => Promise<SeedOutcome>;

/** The seed hook of a handler class, or `undefined` when it is not one of this package's. */
export function seedHookOf(handler: unknown): SeedHook | undefined {
  const hook =
    typeof handler === 'function' ? (handler as { [SEED_HOOK]?: unknown })[SEED_HOOK] : undefined;
  return typeof hook === 'function' ? (hook as SeedHook) : undefined;
}
