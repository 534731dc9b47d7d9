import type { CacheStore, CallOptions, SetOptions } from '../contract';
import { raceAbort } from './concurrency';
import type { FencedNearCache, NearEntryLife } from './fenced-near-cache';
import { SingleFlight } from './single-flight';
import { withWriteOrder } from './with-write-order';
import { type PendingWrite, WriteLedger } from './write-ledger';

/** What `decode` threw on: reported, then read as a miss marked `unreadable`. */
const UNDECODABLE: unique symbol = Symbol('undecodable');

/** Options for {@link EntryCache}. */
export interface EntryCacheOptions<T> {
  /** Where the encoded entries live (chunking and integrity checks sit below this). */
  store: CacheStore;
  /**
   * Bytes to entry. Throwing means the bytes are not an entry (garbage, truncated, foreign): the
   * read is a miss and the error goes to `onError`, never to the caller. Returning `undefined` is
   * a quiet miss (an entry past its own expiry, say).
   */
  decode: (bytes: Uint8Array) => T | undefined | Promise<T | undefined>;
  /** The near cache of decoded entries, when on. */
  near?: FencedNearCache<T> | undefined;
  /** How long an entry may live near (e.g. its own remaining TTL). @default the near cache's ttlMs */
  nearLife?: (entry: T) => NearEntryLife | undefined;
  /** Where decode failures go, with the id that held the bytes. @default ignored */
  onError?: (error: unknown, operation: 'decode', id: string) => void;
  /**
   * Called once a write or delete of `id` settled (stored or failed: the store may hold either
   * value), so other processes can be told to drop their near copies (`CoherenceLink.publish`).
   */
  onChange?: ((id: string) => void) | undefined;
}

/** Where an answer came from: a write of this process in flight, the near cache, or the store. */
export type EntrySource = 'pending' | 'near' | 'store';

/**
 * A read's answer: the entry (`undefined` for a miss) and where it came from. The entry is shared
 * with other readers (the near cache, a write in flight, concurrent reads of the key): treat it as
 * read-only and copy before handing out mutable parts.
 */
export interface EntryRead<T> {
  entry: T | undefined;
  source: EntrySource;
  /** The store held bytes that did not decode (reported): a miss, but something is stored there. */
  unreadable?: true;
}

/**
 * Decoded entries over a store, with the in-process guarantees every adapter needs:
 *
 * - **Read-your-writes:** a read issued after a write (or delete) of the same key in this process
 *   sees it, even while the write is in flight ({@link WriteLedger}).
 * - **Call order:** the writes and deletes of one key reach the store in the order they were
 *   called ({@link withWriteOrder}: waiting ones coalesce), and a value still being produced
 *   ({@link setWhenReady}) when a newer write or delete of its key is called is never stored.
 * - **A fenced near cache** (optional): a hit is synchronous, no decode, no timer; a read that
 *   began before a write never leaves the older value behind ({@link FencedNearCache}).
 * - **One read per key at a time:** concurrent store reads of a key share one request and one
 *   decode (a burst of hits on one hot key costs one of each); a write or delete of the key
 *   detaches it, so a read that starts after the write never joins one from before.
 *
 * Keys are the final store keys (namespaced, hashed when long). Store failures reject (the caller's
 * deadline and error reporting apply); bytes that do not decode are a reported miss.
 *
 * @example
 * const entries = new EntryCache<Page>({ store, decode: decodePage, near });
 * const hit = entries.peek(id);           // synchronous: pending write or near hit
 * const page = (await entries.read(id, o)).entry;
 * await entries.set(id, page, encodePage(page), { ttlSeconds: 60 });
 */
export class EntryCache<T> {
  readonly #store: CacheStore;
  readonly #writes: CacheStore;
  readonly #decode: EntryCacheOptions<T>['decode'];
  readonly #near: FencedNearCache<T> | undefined;
  readonly #nearLife: (entry: T) => NearEntryLife | undefined;
  readonly #onError: (error: unknown, operation: 'decode', id: string) => void;
  readonly #ledger = new WriteLedger<T>();
  readonly #reads = new SingleFlight<EntryRead<T>>();
  readonly #onChange: (id: string) => void;

  constructor(options: EntryCacheOptions<T>) {
    this.#store = options.store;
    // Writes of one key reach the store in call order: requests on separate connections can
    // otherwise arrive in any order and leave an older value (or resurrect a deleted one). Reads
    // go straight to the store (no pass-through layer on a hit).
    this.#writes = withWriteOrder(options.store);
    this.#decode = options.decode;
    this.#near = options.near;
    this.#nearLife = options.nearLife ?? (() => undefined);
    this.#onError = options.onError ?? (() => {});
    this.#onChange = options.onChange ?? (() => {});
  }

  /** The near cache, when on (for `invalidate`/`clear`/`capTtl` by a coherence layer). */
  get near(): FencedNearCache<T> | undefined {
    return this.#near;
  }

  /**
   * The answer this process already has for `id`, synchronously: a write in flight (its entry, or
   * `undefined` for a delete) or a near-cache hit. `undefined` when the store must be asked.
   */
  peek(id: string): EntryRead<T> | undefined {
    const pending = this.#ledger.pending(id);
    if (pending?.kind === 'producing') return undefined; // see waitFor()
    if (pending) {
      return { entry: pending.kind === 'set' ? pending.value : undefined, source: 'pending' };
    }
    const hit = this.#near?.get(id);
    return hit === undefined ? undefined : { entry: hit, source: 'near' };
  }

  /**
   * When the newest write of `id` in flight is still producing its value ({@link setWhenReady}),
   * a promise that settles (never rejects) once it is stored or given up; else `undefined`.
   * A read must wait for it to see that write; bound the wait with the operation's deadline.
   */
  waitFor(id: string): Promise<void> | undefined {
    const pending = this.#ledger.pending(id);
    return pending?.kind === 'producing' ? pending.settled : undefined;
  }

  /**
   * {@link peek}, else one store read (decoded, and kept near when no write raced it). Waits for
   * a write of `id` whose value is still being produced.
   */
  async read(id: string, options?: CallOptions): Promise<EntryRead<T>> {
    const producing = this.waitFor(id);
    if (producing) await producing;
    return this.peek(id) ?? this.readStore(id, options);
  }

  /** The entry at `id`, or `undefined`. */
  async get(id: string, options?: CallOptions): Promise<T | undefined> {
    return (await this.read(id, options)).entry;
  }

  /**
   * Reads the store, skipping the near cache and the ledger (a near copy turned out too old, or a
   * background refresh). Fills the near cache unless a write of `id` began or ended meanwhile.
   * Concurrent calls for `id` share one request and one decode, run with the first caller's
   * `timeoutMs` and no signal; each caller's own `signal` still rejects that caller only.
   */
  readStore(id: string, options?: CallOptions): Promise<EntryRead<T>> {
    const timeoutMs = options?.timeoutMs;
    const shared = this.#reads.run(id, () =>
      this.#readOnce(id, timeoutMs === undefined ? undefined : { timeoutMs }),
    );
    return raceAbort(shared, options?.signal);
  }

  async #readOnce(id: string, options: CallOptions | undefined): Promise<EntryRead<T>> {
    const near = this.#near;
    const token = near?.beginRead() ?? 0;
    const startedAt = near?.now();
    const bytes = await this.#store.get(id, options);
    const entry = bytes === undefined ? undefined : await this.#decodeOrMiss(bytes, id);
    if (entry === UNDECODABLE) {
      near?.forget(id, token);
      return { entry: undefined, source: 'store', unreadable: true };
    }
    if (near) {
      if (entry === undefined) near.forget(id, token);
      else near.fill(id, entry, token, { ...this.#nearLife(entry), startedAt });
    }
    return { entry, source: 'store' };
  }

  /**
   * Writes `entry` (encoded as `bytes`). Reads of `id` in this process see it from now on; the
   * near cache keeps it once stored. Rejects when the store refused or failed.
   */
  set(id: string, entry: T, bytes: Uint8Array, options?: SetOptions): Promise<void> {
    const near = this.#near;
    const life = this.#nearLife(entry);
    const token = near?.beginWrite(id, entry, life) ?? 0;
    this.#reads.forget(id);
    return this.#ledger.track(id, { kind: 'set', value: entry }, async () => {
      try {
        await this.#writes.set(id, bytes, options);
      } catch (error) {
        near?.endWrite(id, token, undefined);
        this.#onChange(id);
        throw error;
      } finally {
        this.#reads.forget(id);
      }
      near?.endWrite(id, token, entry, life);
      this.#onChange(id);
    });
  }

  /**
   * A write whose value is not known yet (Next hands its cache a pending entry): reads of `id` in
   * this process wait for `produce`, then see what it stored. `produce` returning `undefined`
   * stores nothing. Rejects when `produce` or the store failed.
   */
  setWhenReady(
    id: string,
    produce: () => Promise<{ entry: T; bytes: Uint8Array; options?: SetOptions } | undefined>,
  ): Promise<void> {
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => {
      settle = resolve;
    });
    const intent: PendingWrite<T> = { kind: 'producing', settled };
    return this.#ledger.track(id, intent, async () => {
      try {
        const item = await produce();
        // A write or delete of `id` called while this value was produced is newer: storing this
        // one now would land after it and undo it.
        if (!item || this.#ledger.pending(id) !== intent) return;
        // `set` records the value in the ledger at once: waiting reads resume and see it there,
        // without waiting for the store.
        const storing = this.set(id, item.entry, item.bytes, item.options);
        settle();
        await storing;
      } finally {
        settle();
      }
    });
  }

  /** Deletes `id`: reads here miss from now on. Rejects when the store failed. */
  delete(id: string, options?: CallOptions): Promise<void> {
    const near = this.#near;
    const token = near?.beginWrite(id) ?? 0;
    this.#reads.forget(id);
    return this.#ledger.track(id, { kind: 'delete' }, async () => {
      try {
        await this.#writes.delete(id, options);
      } finally {
        this.#reads.forget(id);
        near?.endWrite(id, token, undefined);
        this.#onChange(id);
      }
    });
  }

  /** Drops the near copy of `id` (found too old by a caller), fencing reads of it in flight. */
  forgetNear(id: string): void {
    this.#reads.forget(id);
    this.#near?.invalidate([id]);
  }

  async #decodeOrMiss(bytes: Uint8Array, id: string): Promise<T | undefined | typeof UNDECODABLE> {
    try {
      return await this.#decode(bytes);
    } catch (error) {
      this.#onError(error, 'decode', id);
      return UNDECODABLE;
    }
  }
}
