import type { CallOptions } from '../contract';
import { BoundedMap } from './bounded-map';
import { FencedNearCache, type FencedNearCacheOptions } from './fenced-near-cache';
import { checkAtLeast, checkWholeNumber } from './option-checks';
import type { TagState, TagStore } from './tags';

/** Options for {@link TagStates}. */
export interface TagStatesOptions {
  /**
   * A near cache of tag states, absences included (most tags were never invalidated; without the
   * absences every hit would read them all). Its `ttlMs` bounds how late an invalidation made by
   * another process is seen here. Omit for none.
   */
  nearCache?: Omit<FencedNearCacheOptions<TagState>, 'sizeOf'> | undefined;
  /** Invalidations made by this process, remembered so it sees them at once. @default 10000 */
  maxLocalRecords?: number;
  /** Wall clock in epoch ms: tag times are compared across processes. @default Date.now */
  now?: () => number;
  /**
   * Called once an invalidation's tag write settled (written or failed), with the tags it wrote,
   * so other processes can be told to drop their near tag states (`CoherenceLink.publish`).
   */
  onInvalidate?: ((tags: readonly string[]) => void) | undefined;
}

/** The near cache's marker for "this tag was never invalidated". */
export const NEVER_INVALIDATED: TagState = Object.freeze({ stale: 0, expired: 0 });
/** A tag state held near costs about this much. */
const TAG_STATE_BYTES = 64;

/**
 * The tag side of the engine, over a {@link TagStore}:
 *
 * - **Own invalidations at once.** `invalidate()` records the new state locally before the tag
 *   write goes out, so every read in this process after it sees it (Next's own handler does the
 *   same); it stays recorded after the write lands, and also when the write failed (the caller is
 *   told by the rejection). A state read from the store wins over a local record only when it is
 *   a later invalidation (`stale` greater): made by another process afterwards.
 * - **One write per tag.** An invalidation identical to one in flight (same tag, same expiry,
 *   made in the same synchronous turn or the same millisecond) joins it: Next calls every
 *   handler kind's `updateTags` for one `revalidateTag` in one loop, and they share this store.
 * - **A tag-state near cache** with a never-invalidated marker, fenced like the entry near cache:
 *   a read that overlapped an invalidation never fills it with the older state.
 *
 * @example
 * const tagStates = new TagStates(new TagStore(store), { nearCache: { ttlMs: 1000 } });
 * await tagStates.invalidate(['products']);
 * tagVerdict(await tagStates.read(entry.tags), entry.createdAt); // 'expired'
 */
export class TagStates {
  readonly #store: TagStore;
  readonly #near: FencedNearCache<TagState> | undefined;
  readonly #local: BoundedMap<string, TagState>;
  readonly #now: () => number;
  readonly #onInvalidate: (tags: readonly string[]) => void;
  /** Invalidations in flight, by tag: what they write, and their promise. */
  readonly #inFlight = new Map<
    string,
    { state: TagState; seconds: number; turn: object; done: Promise<void> }
  >();
  /** Identifies the current synchronous turn (until the next microtask checkpoint). */
  #turn: object | undefined;

  constructor(store: TagStore, options: TagStatesOptions = {}) {
    this.#store = store;
    this.#now = options.now ?? Date.now;
    this.#onInvalidate = options.onInvalidate ?? (() => {});
    this.#local = new BoundedMap(
      checkWholeNumber('maxLocalRecords', options.maxLocalRecords ?? 10_000),
    );
    this.#near = options.nearCache
      ? new FencedNearCache<TagState>({ ...options.nearCache, sizeOf: () => TAG_STATE_BYTES })
      : undefined;
  }

  /** The tag-state near cache, when on (for `invalidate`/`clear`/`capTtl` by a coherence layer). */
  get near(): FencedNearCache<TagState> | undefined {
    return this.#near;
  }

  /**
   * The states of `tags` from this process alone (the near cache, merged with local records),
   * without waiting; `undefined` when some tag is not held near and must be read from the store. Never-invalidated tags are
   * absent from the map.
   */
  peek(tags: readonly string[]): Map<string, TagState> | undefined {
    const out = new Map<string, TagState>();
    for (const tag of tags) {
      // A local record alone is not enough: another process may have invalidated since.
      const near = this.#near?.get(tag);
      if (near === undefined) return undefined;
      const state = latest(this.#local.get(tag), near === NEVER_INVALIDATED ? undefined : near);
      if (state) out.set(tag, state);
    }
    return out;
  }

  /**
   * The states of `tags` (never-invalidated ones absent): local records and near states, the rest
   * from the store in one concurrent batch. Rejects when the store read fails.
   */
  async read(tags: readonly string[], options?: CallOptions): Promise<Map<string, TagState>> {
    const out = new Map<string, TagState>();
    const missing: string[] = [];
    for (const tag of tags) {
      const near = this.#near?.get(tag);
      if (near === undefined) {
        missing.push(tag);
        continue;
      }
      const state = latest(this.#local.get(tag), near === NEVER_INVALIDATED ? undefined : near);
      if (state) out.set(tag, state);
    }
    if (missing.length === 0) return out;
    const token = this.#near?.beginRead() ?? 0;
    const fetched = await this.#store.read(missing, options);
    for (const tag of missing) {
      const stored = fetched.get(tag);
      this.#near?.fill(tag, stored ?? NEVER_INVALIDATED, token);
      const state = latest(this.#local.get(tag), stored);
      if (state) out.set(tag, state);
    }
    return out;
  }

  /**
   * Invalidates `tags` for every process: stale now, expired `expireInSeconds` from now (default
   * 0: at once). Seen by this process at once; rejects when the store write failed (the caller
   * must not believe other processes saw it).
   */
  async invalidate(
    tags: readonly string[],
    options: { expireInSeconds?: number } & CallOptions = {},
  ): Promise<void> {
    const { expireInSeconds = 0, ...call } = options;
    checkAtLeast('expireInSeconds', expireInSeconds);
    const now = this.#now();
    const turn = this.#currentTurn();
    const joined: Promise<void>[] = [];
    const fresh: string[] = [];
    for (const tag of new Set(tags)) {
      const flight = this.#inFlight.get(tag);
      const sameMoment = flight && (flight.turn === turn || flight.state.stale === now);
      if (flight && sameMoment && flight.seconds === expireInSeconds) {
        joined.push(flight.done);
        continue;
      }
      fresh.push(tag);
      const state = this.#localState(tag, now, expireInSeconds);
      this.#local.delete(tag); // re-inserted at the young end: the newest records are kept longest
      this.#local.set(tag, state);
    }
    // Reads in flight must not fill the near cache with the state from before.
    this.#near?.invalidate(fresh);
    if (fresh.length > 0) {
      const done = this.#store.invalidate(fresh, { ...call, expireInSeconds });
      const announce = () => this.#onInvalidate(fresh);
      done.then(announce, announce);
      for (const tag of fresh) {
        const entry = { state: this.#local.get(tag)!, seconds: expireInSeconds, turn, done };
        this.#inFlight.set(tag, entry);
        const settle = () => {
          if (this.#inFlight.get(tag) === entry) this.#inFlight.delete(tag);
          this.#near?.invalidate([tag]);
        };
        done.then(settle, settle);
      }
      joined.push(done);
    }
    await Promise.all(joined);
  }

  /**
   * A token shared by every call made in this synchronous turn: Next calls each handler kind's
   * `updateTags` in one loop, so their identical invalidations meet here, whatever the clock says.
   */
  #currentTurn(): object {
    if (this.#turn === undefined) {
      const turn = {};
      this.#turn = turn;
      queueMicrotask(() => {
        if (this.#turn === turn) this.#turn = undefined;
      });
    }
    return this.#turn;
  }

  /**
   * What this invalidation makes of `tag`, by the tag store's own rule from the state known here:
   * stale now; an immediate expiry is now, a deferred one never later than an expiry already set.
   */
  #localState(tag: string, now: number, expireInSeconds: number): TagState {
    const requested = now + expireInSeconds * 1000;
    if (requested <= now) return { stale: now, expired: requested };
    const near = this.#near?.get(tag);
    const known = latest(this.#local.get(tag), near === NEVER_INVALIDATED ? undefined : near);
    return { stale: now, expired: Math.min(known?.expired ?? requested, requested) };
  }
}

/** Of two states of one tag, the later invalidation (the one with the later `stale`). */
function latest(a: TagState | undefined, b: TagState | undefined): TagState | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return b.stale > a.stale ? b : a;
}
