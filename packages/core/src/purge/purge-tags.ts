import { InvalidArgumentError } from '../client/errors';
import type { CacheStore } from '../contract';
import { Deadline } from '../toolkit/deadline';
import { DEFAULT_MAX_TTL_SECONDS } from '../toolkit/limits';
import { tagKeyPrefix } from '../toolkit/tag-namespace';
import { TagStore } from '../toolkit/tags';

/** Most tags one purge may name: a webhook body is bounded, and so is the work it starts. */
export const MAX_PURGE_TAGS = 1000;
/** Longest tag accepted (UTF-16 units): a tag is part of a cache key, whose limit is 4 KiB. */
export const MAX_PURGE_TAG_LENGTH = 1024;
/** Deadline of one purge (every tag written). */
export const DEFAULT_PURGE_TIMEOUT_MS = 5000;

/** Where a purge writes: the cache, its tag namespace, and how long it may take. */
export interface PurgeTarget {
  store: CacheStore;
  tagNamespace?: string | undefined;
  timeoutMs?: number | undefined;
  /** TTL of the tag records: at least the longest entry TTL of the apps purged. @default 86400 */
  tagTtlSeconds?: number | undefined;
}

/**
 * The tags of a purge request, checked: a non-empty array of non-empty strings, at most
 * {@link MAX_PURGE_TAGS}, each at most {@link MAX_PURGE_TAG_LENGTH}. Throws `InvalidArgumentError`
 * saying what is wrong (the webhook answers it as a 400, the CLI prints it).
 */
export function checkPurgeTags(tags: unknown): string[] {
  if (!Array.isArray(tags) || tags.length === 0) {
    throw new InvalidArgumentError('tags must be a non-empty array of strings');
  }
  if (tags.length > MAX_PURGE_TAGS) {
    throw new InvalidArgumentError(`at most ${MAX_PURGE_TAGS} tags per purge, got ${tags.length}`);
  }
  for (const tag of tags) {
    if (typeof tag !== 'string' || tag.length === 0 || tag.length > MAX_PURGE_TAG_LENGTH) {
      throw new InvalidArgumentError(
        `every tag must be a string of 1 to ${MAX_PURGE_TAG_LENGTH} characters, got ${JSON.stringify(tag)}`,
      );
    }
  }
  return [...new Set(tags as string[])];
}

/**
 * Purges `tags` in the cache, by the same rule every adapter reads them (core's `TagStore`
 * record under `tagKeyPrefix(tagNamespace)`): entries carrying one of them, written by any
 * package in that namespace, are misses from now on in every process (each within its tag-state
 * near cache's TTL, when it has one). Rejects when any tag write failed or the deadline passed:
 * the caller must not believe it was recorded.
 */
export async function purgeTags(target: PurgeTarget, tags: readonly string[]): Promise<void> {
  const checked = checkPurgeTags(tags);
  const store = new TagStore(target.store, {
    prefix: tagKeyPrefix(target.tagNamespace),
    ttlSeconds: target.tagTtlSeconds ?? DEFAULT_MAX_TTL_SECONDS,
  });
  const deadline = new Deadline(target.timeoutMs ?? DEFAULT_PURGE_TIMEOUT_MS, {
    operation: 'purge',
  });
  await deadline.run((o) => store.invalidate(checked, o));
}
