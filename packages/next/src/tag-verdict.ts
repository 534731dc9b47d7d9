import type { TagState } from '@momento-http/core';

/**
 * What the tag states read for an entry created at `since` say of it: expired when a tag's expiry
 * is after `since` and has passed, stale when a tag turned stale after `since`.
 */
export function tagVerdict(
  states: Map<string, TagState>,
  since: number,
  now?: number,
): 'fresh' | 'stale' | 'expired' {
  let stale = false;
  for (const state of states.values()) {
    // The clock is read only for a tag revalidated since the entry was written.
    if (state.expired > since) {
      now ??= Date.now();
      if (state.expired <= now) return 'expired';
    }
    if (state.stale > since) stale = true;
  }
  return stale ? 'stale' : 'fresh';
}
