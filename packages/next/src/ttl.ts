import { toTtlSeconds } from '@momento-http/core';

/**
 * The TTL of an entry from its hard limit (`expire`, seconds), never from `revalidate`: evicting
 * at `revalidate` would turn every stale-while-revalidate read into a blocking miss. Missing or
 * "infinite" lifetimes (Next uses 0xfffffffe and one year) become the maximum.
 */
export function entryTtlSeconds(expireSeconds: number | undefined, maxTtlSeconds: number): number {
  const ms =
    expireSeconds === undefined || !Number.isFinite(expireSeconds)
      ? undefined
      : expireSeconds * 1000;
  return toTtlSeconds(ms, { defaultTtlSeconds: maxTtlSeconds, maxTtlSeconds });
}
