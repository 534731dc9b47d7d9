import type { TagState } from './tags';

/** What an entry's tags say of it. */
export type TagVerdict = 'fresh' | 'stale' | 'expired';

/**
 * The one rule for tagged entries, given the states of its tags and `since`, the entry's creation
 * time (epoch ms; for a response or a render, when producing it started):
 *
 * - **expired** when some tag's `expired` is at or after `since` and has passed (`<= now`);
 * - **stale** when some tag's `stale` is at or after `since` (serve, but revalidate);
 * - **fresh** otherwise.
 *
 * The boundary is inclusive: a tag invalidated in the same millisecond the entry was created
 * counts against it. The order of two events in one millisecond is unknown, and the two mistakes
 * cost differently: treating a newer entry as invalidated costs one extra regeneration, while
 * treating an older entry as valid serves content the user just purged until its TTL. (Next's
 * own manifest uses `>`; core's earlier `isExpiredByTags` did too, Express used `>=`.)
 *
 * Reads the clock only when a tag expired at or after `since`.
 *
 * @example
 * tagVerdict(await tagStates.read(entry.tags), entry.createdAt); // 'fresh' | 'stale' | 'expired'
 */
export function tagVerdict(
  states: ReadonlyMap<string, TagState> | Iterable<TagState>,
  since: number,
  now?: number,
): TagVerdict {
  let stale = false;
  const list = states instanceof Map ? states.values() : (states as Iterable<TagState>);
  for (const state of list) {
    if (state.expired >= since) {
      now ??= Date.now();
      if (state.expired <= now) return 'expired';
    }
    if (state.stale >= since) stale = true;
  }
  return stale ? 'stale' : 'fresh';
}
