import { InvalidArgumentError } from '../client/errors';
import type { CacheStore, CallOptions } from '../contract';
import { mapConcurrent } from './concurrency';
import { DEFAULT_MAX_TTL_SECONDS } from './limits';
import { checkAtLeast, checkWholeNumber, show } from './option-checks';
import { DEFAULT_TAG_KEY_PREFIX } from './tag-namespace';
import { tagVerdict } from './tag-verdict';

/** Options for {@link TagStore}. */
export interface TagStoreOptions {
  /** Prefix of every tag key (`<prefix><tag>`). Keep tags app-wide, not per deployment. @default '__tag__|' */
  prefix?: string;
  /** TTL of tag keys, in seconds. Must be ≥ the longest entry TTL, or an invalidation can be forgotten while entries it covers are still alive. @default 86400 */
  ttlSeconds?: number;
  /** Tag keys read or written at once. @default 16 */
  concurrency?: number;
  /** Clock in epoch ms (injectable for tests). @default Date.now */
  now?: () => number;
}

/** When a tag was last invalidated: entries older than `stale` are stale; older than `expired` (once it has passed) are gone. */
export interface TagState {
  /** Epoch ms of the last invalidation. */
  stale: number;
  /** Epoch ms from which entries created before it count as expired. */
  expired: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Tag invalidation over get/set only: one key per tag holding `{stale, expired}` epoch-ms
 * timestamps (the shape Next.js' own handlers keep), and no shared manifest key, so concurrent
 * invalidations of different tags never overwrite each other (the HTTP API has no compare-and-set).
 *
 * An entry remembers when it was created and its tags; on read, it is expired when any tag's
 * `expired` is after its creation and already passed, and stale when any tag's `stale` is after
 * its creation.
 *
 * @example
 * const tags = new TagStore(client.cache('default-cache'));
 * await tags.invalidate(['products']);                       // expire now
 * await tags.invalidate(['products'], { expireInSeconds: 3600 }); // stale now, expire in 1 h
 * if (await tags.areTagsExpired(entry.tags, entry.createdAt)) return undefined;
 */
export class TagStore {
  readonly #store: CacheStore;
  readonly #prefix: string;
  readonly #ttlSeconds: number;
  readonly #concurrency: number;
  readonly #now: () => number;

  constructor(store: CacheStore, options: TagStoreOptions = {}) {
    this.#store = store;
    this.#prefix = options.prefix ?? DEFAULT_TAG_KEY_PREFIX;
    this.#ttlSeconds = options.ttlSeconds ?? DEFAULT_MAX_TTL_SECONDS;
    this.#concurrency = options.concurrency ?? 16;
    this.#now = options.now ?? Date.now;
    checkWholeNumber('ttlSeconds', this.#ttlSeconds, 1, 'seconds');
    checkWholeNumber('concurrency', this.#concurrency);
    if (typeof this.#prefix !== 'string') {
      throw new InvalidArgumentError(`prefix must be a string, got ${show(this.#prefix)}`);
    }
  }

  /**
   * Invalidates `tags`: each becomes stale now and expires `expireInSeconds` from now (default 0:
   * immediately). Writes every tag key concurrently; rejects if any write fails (so a caller never
   * believes an unrecorded invalidation happened).
   *
   * Each tag key is read first so that an expiry already in effect, or due sooner, is never
   * pushed later by a deferred one (`revalidateTag(t)` followed by `revalidateTag(t, 'max')` keeps
   * the first expiry). Two processes invalidating one tag at the same moment may still overwrite
   * each other; both results mark the tag stale.
   */
  async invalidate(
    tags: readonly string[],
    options: { expireInSeconds?: number } & CallOptions = {},
  ): Promise<void> {
    const { expireInSeconds = 0, ...call } = options;
    checkAtLeast('expireInSeconds', expireInSeconds);
    const unique = [...new Set(tags)];
    await mapConcurrent(unique, this.#concurrency, async (tag) => {
      const now = this.#now();
      // An unreadable record is overwritten: this write is exactly what repairs it.
      const existing = await this.#readOne(tag, call, false);
      const requested = now + expireInSeconds * 1000;
      const expired =
        requested <= now ? requested : Math.min(existing?.expired ?? requested, requested);
      const state: TagState = { stale: now, expired };
      await this.#store.set(this.#key(tag), encoder.encode(JSON.stringify(state)), {
        ...call,
        ttlSeconds: this.#ttlSeconds,
      });
    });
  }

  /**
   * The recorded state of each tag that has one (tags never invalidated are absent). Rejects with
   * a `TagStateError` when a tag key holds something that is not a tag record (garbage, truncated):
   * an entry whose tags cannot be known must be a miss, never served as fresh.
   */
  async read(tags: readonly string[], options: CallOptions = {}): Promise<Map<string, TagState>> {
    const unique = [...new Set(tags)];
    const states = await mapConcurrent(unique, this.#concurrency, (tag) =>
      this.#readOne(tag, options),
    );
    const out = new Map<string, TagState>();
    unique.forEach((tag, i) => {
      const state = states[i];
      if (state) out.set(tag, state);
    });
    return out;
  }

  /** Whether any tag expired after `since` (an entry's creation time, epoch ms) and by `now`. */
  async areTagsExpired(
    tags: readonly string[],
    since: number,
    now: number = this.#now(),
  ): Promise<boolean> {
    return tags.length > 0 && isExpiredByTags((await this.read(tags)).values(), since, now);
  }

  /** Whether any tag was invalidated after `since` (an entry's creation time, epoch ms). */
  async areTagsStale(tags: readonly string[], since: number): Promise<boolean> {
    return tags.length > 0 && isStaleByTags((await this.read(tags)).values(), since);
  }

  #key(tag: string): string {
    return this.#prefix + tag;
  }

  /** The tag's state; bytes that are not a record reject (`strict`) or read as absent. */
  async #readOne(tag: string, options: CallOptions, strict = true): Promise<TagState | undefined> {
    const bytes = await this.#store.get(this.#key(tag), options);
    if (bytes === undefined) return undefined;
    const state = parseState(bytes);
    if (state === undefined && strict) throw new TagStateError(tag);
    return state;
  }
}

/**
 * Whether an entry created at `since` is expired by any of these tag states (from
 * {@link TagStore.read}): some `expired` is at or after `since` and not after `now`. The rule of
 * `tagVerdict`, which answers expiry and staleness in one pass.
 */
export function isExpiredByTags(
  states: Iterable<TagState>,
  since: number,
  now = Date.now(),
): boolean {
  return tagVerdict(states, since, now) === 'expired';
}

/** Whether an entry created at `since` is stale by any of these tag states: some `stale` is at or after `since`. */
export function isStaleByTags(states: Iterable<TagState>, since: number): boolean {
  for (const state of states) if (state.stale >= since) return true;
  return false;
}

/** A tag key held bytes that are not a tag record: the entries it covers must be misses. */
export class TagStateError extends Error {
  override name = 'TagStateError';
  readonly tag: string;
  constructor(tag: string) {
    super(`the state of tag "${tag}" is unreadable (not a tag record)`);
    this.tag = tag;
  }
}

/** A tag record, or undefined when it is not one (written by something else, truncated, or corrupt). */
function parseState(bytes: Uint8Array): TagState | undefined {
  try {
    const value = JSON.parse(decoder.decode(bytes)) as Partial<TagState> | null;
    if (typeof value?.stale === 'number' && typeof value.expired === 'number') {
      return { stale: value.stale, expired: value.expired };
    }
  } catch {
    // fall through: not a tag record
  }
  return undefined;
}
