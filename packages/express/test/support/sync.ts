import type { CacheKey, CallOptions } from '@momento-http/core';
import type { TrackedStore } from './backend';

/** Polls `check` until it returns true, failing after `ms`. */
export async function eventually(
  check: () => Promise<boolean> | boolean,
  ms = 10_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A promise released by hand. */
export function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

/** A store whose reads wait for `readGate` (to line concurrent requests up deterministically). */
export function gatedReads(store: TrackedStore, readGate: Promise<void>): TrackedStore {
  return Object.assign(Object.create(store) as TrackedStore, {
    get: async (key: CacheKey, opts?: CallOptions) => {
      await readGate;
      return store.get(key, opts);
    },
  });
}
