import type { CallOptions, SetOptions } from '../contract';
import { BoundedMap } from './bounded-map';
import type { CircuitBreaker } from './circuit-breaker';
import type { Deadline } from './deadline';
import type { EntryCache, EntryRead, EntrySource } from './entry-cache';
import { checkWholeNumber } from './option-checks';
import type { TagStates } from './tag-states';
import { tagVerdict } from './tag-verdict';
import type { TagState } from './tags';

/** Options for {@link TaggedEntryReader}. */
export interface TaggedEntryReaderOptions<T> {
  /** The decoded entries (near cache and read-your-writes included). */
  entries: EntryCache<T>;
  /** The tag states (own invalidations at once, tag-state near cache). */
  tags: TagStates;
  /** The tags an entry carries. */
  tagsOf: (entry: T) => readonly string[];
  /** When the entry was created (epoch ms), compared with tag times by {@link tagVerdict}. */
  createdAt: (entry: T) => number;
  /** Skips the store while it keeps failing (share one with the adapter's writes). */
  breaker?: CircuitBreaker | undefined;
  /** Where every failure of a read goes (a read itself never rejects). @default ignored */
  onError?: (error: unknown, operation: 'read' | 'tags') => void;
  /** Keys whose tags are remembered, so their tags are read alongside the entry. @default 10000 */
  maxKnownKeys?: number;
}

/**
 * What {@link TaggedEntryReader.readOrFailure} answers when the read failed (store error or
 * timeout, open breaker, bytes that do not decode, tags that could not be read), as opposed to a
 * key that holds nothing usable: a caller must not write over what may still be stored there.
 */
export const READ_FAILED: unique symbol = Symbol('momento-http.read-failed');

/** The states of no tags, shared (never mutated: callers merge into a new map). */
const NO_TAGS: Promise<Map<string, TagState>> = Promise.resolve(new Map());

/** How a read is bounded: a deadline shared with the rest of the user's operation, or plain call options. */
export type ReadBound = { deadline: Deadline } | CallOptions;

/** What {@link TaggedEntryReader.read} and {@link TaggedEntryReader.peek} check besides the entry's own tags. */
export interface TaggedReadOptions<T> {
  /** Tags the caller knows apply beyond those the entry carries (Next's implicit tags). */
  extraTags?: readonly string[] | undefined;
  /** Turns an entry down before its tags are looked at (past its own expiry, say). */
  usable?: ((entry: T) => boolean) | undefined;
}

/** An entry a caller may serve, and whether a tag made it stale. */
export interface TaggedRead<T> {
  entry: T;
  verdict: 'fresh' | 'stale';
  /** Where the entry came from. Every entry is shared (near cache, writes in flight, concurrent reads): copy before handing out mutable parts. */
  source: EntrySource;
}

/**
 * The read path of tagged entries (Next pages and `use cache` entries, Express responses), in
 * one place: the entry and the states of its tags in one round trip, the tag verdict, and every
 * failure turned into a reported miss.
 *
 * - The tags a key had last time (plus `extraTags`) are read in parallel with the entry; tags
 *   the entry carries that were not guessed are read after it, within the same bound.
 * - A near-cache hit whose tags are all known here answers synchronously ({@link peek}).
 * - An entry from the near cache found expired by a tag is re-read from the store once: the
 *   store may hold a newer write.
 * - One bound for the whole read (a `Deadline` shared with the user's operation, or call options),
 *   a circuit breaker in front of the store, and nothing ever rejects.
 *
 * @example
 * const reader = new TaggedEntryReader({ entries, tags, tagsOf: (e) => e.tags, createdAt: (e) => e.at });
 * const hit = reader.peek(id) ?? (await reader.read(id, { deadline }));
 */
export class TaggedEntryReader<T> {
  readonly #entries: EntryCache<T>;
  readonly #tags: TagStates;
  readonly #tagsOf: (entry: T) => readonly string[];
  readonly #createdAt: (entry: T) => number;
  readonly #breaker: CircuitBreaker | undefined;
  readonly #onError: (error: unknown, operation: 'read' | 'tags') => void;
  readonly #knownTags: BoundedMap<string, readonly string[]>;

  constructor(options: TaggedEntryReaderOptions<T>) {
    this.#entries = options.entries;
    this.#tags = options.tags;
    this.#tagsOf = options.tagsOf;
    this.#createdAt = options.createdAt;
    this.#breaker = options.breaker;
    this.#onError = options.onError ?? (() => {});
    this.#knownTags = new BoundedMap(
      checkWholeNumber('maxKnownKeys', options.maxKnownKeys ?? 10_000),
      {
        evict: 'use',
      },
    );
  }

  /**
   * The answer this process has for `id` without waiting: a pending write or near entry whose
   * tags (and `extraTags`) are all known here and do not expire it, and that `usable` accepts.
   * `undefined` means "call {@link read}", never "miss".
   */
  peek(id: string, options: TaggedReadOptions<T> = {}): TaggedRead<T> | undefined {
    const known = this.#entries.peek(id);
    if (known?.entry === undefined) return undefined;
    if (options.usable && !options.usable(known.entry)) return undefined;
    const carried = this.#tagsOf(known.entry);
    const extra = options.extraTags ?? [];
    const states = this.#tags.peek(extra.length ? [...new Set([...carried, ...extra])] : carried);
    if (!states) return undefined;
    const verdict = tagVerdict(states, this.#createdAt(known.entry));
    return verdict === 'expired'
      ? undefined
      : { entry: known.entry, verdict, source: known.source };
  }

  /**
   * The entry at `id` if it may be served, or `undefined`: absent, undecodable, expired by a tag,
   * refused by `usable`, or any failure (reported through `onError`). Never rejects.
   */
  async read(
    id: string,
    bound: ReadBound = {},
    options: TaggedReadOptions<T> = {},
  ): Promise<TaggedRead<T> | undefined> {
    const read = await this.readOrFailure(id, bound, options);
    return read === READ_FAILED ? undefined : read;
  }

  /**
   * {@link read}, telling a failed read ({@link READ_FAILED}, already reported) from a miss
   * (`undefined`). Never rejects.
   */
  async readOrFailure(
    id: string,
    bound: ReadBound = {},
    options: TaggedReadOptions<T> = {},
  ): Promise<TaggedRead<T> | undefined | typeof READ_FAILED> {
    const remembered = this.#knownTags.get(id) ?? [];
    const extra = options.extraTags ?? [];
    const guessed = extra.length ? [...new Set([...remembered, ...extra])] : remembered;
    const run = <R>(work: (o: CallOptions) => Promise<R>): Promise<R> =>
      'deadline' in bound ? bound.deadline.run(work) : work(bound);
    let storeOnly = false;
    for (;;) {
      const found = await this.#lookup(id, guessed, run, storeOnly);
      if (found === undefined || found === READ_FAILED) return found;
      const { entry, source } = found;
      if (options.usable && !options.usable(entry)) return undefined;
      let states = found.states;
      const carried = this.#tagsOf(entry);
      const unguessed = carried.filter((tag) => !guessed.includes(tag));
      if (carried.length) this.#remember(id, carried);
      if (unguessed.length) {
        const more = await this.#readTags(unguessed, run);
        if (!more) return READ_FAILED;
        states = new Map([...states, ...more]);
      }
      const verdict = tagVerdict(states, this.#createdAt(entry));
      if (verdict !== 'expired') return { entry, verdict, source };
      // A near copy may predate the write that followed the invalidation: ask the store once.
      if (source !== 'near' || storeOnly) return undefined;
      this.#entries.forgetNear(id);
      storeOnly = true;
    }
  }

  /** Writes an entry (see {@link EntryCache.set}) and remembers its tags. Rejects on failure. */
  write(id: string, entry: T, bytes: Uint8Array, options?: SetOptions): Promise<void> {
    const tags = this.#tagsOf(entry);
    if (tags.length) this.#remember(id, tags);
    return this.#entries.set(id, entry, bytes, options);
  }

  /**
   * A write whose entry is not known yet (see {@link EntryCache.setWhenReady}): reads of `id` wait
   * for `produce`, and the tags of what it produced are remembered. Rejects on failure.
   */
  writeWhenReady(
    id: string,
    produce: () => Promise<{ entry: T; bytes: Uint8Array; options?: SetOptions } | undefined>,
  ): Promise<void> {
    return this.#entries.setWhenReady(id, async () => {
      const item = await produce();
      const tags = item ? this.#tagsOf(item.entry) : [];
      if (tags.length) this.#remember(id, tags);
      return item;
    });
  }

  /**
   * The entry and the guessed tags' states, concurrently; `undefined` on a miss, READ_FAILED
   * (reported) on a failure.
   */
  async #lookup(
    id: string,
    guessed: readonly string[],
    run: <R>(work: (o: CallOptions) => Promise<R>) => Promise<R>,
    storeOnly: boolean,
  ): Promise<
    | { entry: T; source: EntrySource; states: Map<string, TagState> }
    | undefined
    | typeof READ_FAILED
  > {
    const producing = this.#entries.waitFor(id);
    if (producing) {
      // A write of this key is still producing its value: wait (within the bound) to see it.
      try {
        await run(() => producing);
      } catch (error) {
        this.#onError(error, 'read');
        return READ_FAILED;
      }
    }
    const local = storeOnly ? undefined : this.#entries.peek(id);
    if (local) {
      if (local.entry === undefined) return undefined; // deleted by a write in flight
      const states = this.#tags.peek(guessed) ?? (await this.#readTags(guessed, run));
      return states ? { entry: local.entry, source: local.source, states } : READ_FAILED;
    }
    const breaker = this.#breaker;
    if (breaker && !breaker.allows()) return READ_FAILED;
    // No tags to guess (the common case of an untagged key): no second promise.
    const tagsRead = guessed.length ? this.#readTags(guessed, run) : NO_TAGS;
    let read: EntryRead<T>;
    try {
      read = await run((o) => this.#entries.readStore(id, o));
      breaker?.succeeded();
    } catch (error) {
      breaker?.failed(error);
      this.#onError(error, 'read');
      return READ_FAILED;
    }
    if (read.unreadable) return READ_FAILED;
    const states = await tagsRead;
    if (read.entry === undefined) return undefined;
    if (!states) return READ_FAILED;
    return { entry: read.entry, source: 'store', states };
  }

  /** Tag states within the bound; `undefined` (reported) when they cannot be read. */
  async #readTags(
    tags: readonly string[],
    run: <R>(work: (o: CallOptions) => Promise<R>) => Promise<R>,
  ): Promise<Map<string, TagState> | undefined> {
    if (tags.length === 0) return new Map();
    const near = this.#tags.peek(tags);
    if (near) return near;
    try {
      return await run((o) => this.#tags.read(tags, o));
    } catch (error) {
      this.#onError(error, 'tags');
      return undefined;
    }
  }

  #remember(id: string, tags: readonly string[]): void {
    this.#knownTags.set(id, tags);
  }
}
