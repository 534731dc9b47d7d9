import { createHash } from 'node:crypto';
import {
  type CacheStore,
  createClient,
  NearCache,
  type TagState,
  TagStore,
  withChunking,
} from '@momento-http/core';
import { deadline } from './deadline';
import { NearEntries } from './near-entries';
import { type ResolvedOptions } from './options';

const KNOWN_TAGS_LIMIT = 10_000;
const TAG_STATE_BYTES = 64;
const monotonicNow = () => performance.now();
/** The near cache's marker for "this tag was never revalidated". */
const NEVER: TagState = Object.freeze({ stale: 0, expired: 0 });
const MAX_PLAIN_KEY_LENGTH = 200;

/** A decoded entry and the state of the tags asked for. */
export interface Lookup<T> {
  entry: T;
  states: Map<string, TagState>;
  /** The entry came from the near cache (it may be older than the store's by the near TTL). */
  near: boolean;
  /** The entry object is held by the near cache: hand Next a copy, never this object. */
  shared: boolean;
}

/**
 * The state both handler kinds share in one process: the store stack, the tag store, pending
 * writes, the near caches and a small memo of each key's tags. Next constructs the `cacheHandler` class once per
 * request, so this lives at module scope (one Runtime per factory call) and is built lazily: a
 * handler module imported during `next build` without credentials costs nothing and never throws.
 */
export class Runtime<T = unknown> {
  readonly options: ResolvedOptions;
  /** Writes in flight, by store key: a `get` of the same key waits for them. */
  readonly pending = new Map<string, Promise<void>>();
  /** Tags last seen for a key, so a hit can read the entry and its tags in one round trip. */
  private readonly knownTags = new Map<string, readonly string[]>();
  private stack?: { store: CacheStore; tags: TagStore } | { error: unknown };
  /**
   * Near cache of tag states, absences included: most tags were never revalidated, and the
   * store-level near cache keeps hits only, so without this every hit would still read them all.
   */
  private readonly tagNear?: NearCache<TagState>;
  /** Near cache of decoded entries: a hit decodes and copies nothing. */
  private readonly entryNear?: NearEntries<T>;
  /** Bumped around every revalidation, so a tag read that overlapped one never fills the near cache. */
  private tagEpoch = 0;
  private downUntil = 0;

  constructor(options: ResolvedOptions) {
    this.options = options;
    if (options.nearCache) {
      // Near-cache TTLs only need a monotonic clock, and `performance.now()` is not instrumented
      // by Next (its `Date.now()` is, under cacheComponents) and cannot jump back.
      const { maxBytes, ttlMs, now = monotonicNow } = options.nearCache;
      this.tagNear = new NearCache<TagState>({
        maxBytes,
        ttlMs,
        now,
        sizeOf: () => TAG_STATE_BYTES,
      });
      this.entryNear = new NearEntries<T>({ maxBytes, ttlMs, now });
    }
  }

  private layers(): { store: CacheStore; tags: TagStore } {
    if (!this.stack) {
      try {
        const o = this.options;
        const base = o.store ?? (o.client ?? createClient()).cache(o.cacheName);
        const store: CacheStore = withChunking(base, {
          maxItemBytes: o.maxItemBytes,
          maxTtlSeconds: o.maxTtlSeconds,
          onError: (error) => o.onError(error, 'chunking'),
        });
        const tags = new TagStore(store, {
          prefix: `${o.namespace}tag|`,
          ttlSeconds: o.maxTtlSeconds,
        });
        this.stack = { store, tags };
      } catch (error) {
        this.stack = { error };
        this.options.onError(error, 'configure');
      }
    }
    if ('error' in this.stack!) throw this.stack.error;
    return this.stack!;
  }

  /** True while a recent connection failure says the cache is unreachable. */
  private get down(): boolean {
    // No clock read on the common path: under cacheComponents, Next instruments `Date.now()`.
    if (this.downUntil === 0) return false;
    if (Date.now() < this.downUntil) return true;
    this.downUntil = 0;
    return false;
  }

  private fail(error: unknown, operation: string): void {
    const retryable = (error as { retryable?: unknown } | null)?.retryable;
    if (retryable !== false) this.downUntil = Date.now() + this.options.circuitBreakMs;
    this.options.onError(error, operation);
  }

  /** The store key for a namespaced key: long keys are replaced by their SHA-256. */
  key(scope: string, raw: string): string {
    const prefix = `${this.options.namespace}${scope}|`;
    if (raw.length <= MAX_PLAIN_KEY_LENGTH) return prefix + raw;
    return `${prefix}#${createHash('sha256').update(raw).digest('hex')}`;
  }

  tagsFor(key: string): readonly string[] {
    return this.knownTags.get(key) ?? [];
  }

  rememberTags(key: string, tags: readonly string[]): void {
    if (this.knownTags.size >= KNOWN_TAGS_LIMIT) this.knownTags.clear();
    this.knownTags.set(key, tags);
  }

  /**
   * Reads the entry at `key` and the state of `tags`: from the near cache when on and fresh (no
   * network, no decode, no timer), else concurrently from the store within the read deadline.
   * Any failure (unconfigured, unreachable, timeout, undecodable) is reported and becomes
   * `undefined`: a miss.
   */
  async lookup(
    key: string,
    tags: readonly string[],
    decode: (bytes: Uint8Array) => Promise<T>,
  ): Promise<Lookup<T> | undefined> {
    const inFlight = this.pending.get(key);
    if (inFlight) await inFlight;
    if (this.down) return undefined;
    const near = this.entryNear?.get(key);
    if (near !== undefined) {
      const states = this.nearTagStates(tags) ?? (await this.readTags(tags));
      return states && { entry: near, states, near: true, shared: true };
    }
    const ms = this.options.getTimeoutMs;
    let bytes: Uint8Array | undefined;
    let states: Map<string, TagState>;
    const ticket = this.entryNear?.ticket() ?? 0;
    try {
      const { store, tags: tagStore } = this.layers();
      // The client enforces `timeoutMs` on each call; `deadline` bounds the whole read.
      const work = Promise.all([
        store.get(key, { timeoutMs: ms }),
        this.tagStates(tagStore, tags, { timeoutMs: ms }),
      ]);
      [bytes, states] = await deadline(work, ms, 'get');
    } catch (error) {
      this.fail(error, 'get');
      return undefined;
    }
    if (!bytes) return undefined;
    let entry: T;
    try {
      entry = await decode(bytes);
    } catch (error) {
      this.options.onError(error, 'decode');
      return undefined;
    }
    this.entryNear?.fill(key, entry, ticket);
    return { entry, states, near: false, shared: this.entryNear !== undefined };
  }

  /** Forgets the near copy of `key` (it was found expired: the store may hold a newer one). */
  forgetNear(key: string): void {
    this.entryNear?.delete(key);
  }

  /** Every state of `tags` from the near cache, or `undefined` when one is not held there. */
  private nearTagStates(tags: readonly string[]): Map<string, TagState> | undefined {
    const out = new Map<string, TagState>();
    if (!this.tagNear) return tags.length ? undefined : out;
    for (const tag of tags) {
      const known = this.tagNear.get(tag);
      if (!known) return undefined;
      if (known !== NEVER) out.set(tag, known);
    }
    return out;
  }

  /** Tag states from the near cache when on, the rest from the tag store (one key per tag). */
  private async tagStates(
    store: TagStore,
    tags: readonly string[],
    call: { signal?: AbortSignal; timeoutMs: number },
  ): Promise<Map<string, TagState>> {
    if (!tags.length) return new Map();
    if (!this.tagNear) return store.read(tags, call);
    const out = new Map<string, TagState>();
    const missing: string[] = [];
    for (const tag of tags) {
      const known = this.tagNear.get(tag);
      if (!known) missing.push(tag);
      else if (known !== NEVER) out.set(tag, known);
    }
    if (!missing.length) return out;
    const epoch = this.tagEpoch;
    const fetched = await store.read(missing, call);
    const keep = epoch === this.tagEpoch;
    for (const tag of missing) {
      const state = fetched.get(tag);
      if (keep) this.tagNear.set(tag, state ?? NEVER);
      if (state) out.set(tag, state);
    }
    return out;
  }

  /** Reads tag states alone (tags found inside an entry that the memo did not know). */
  async readTags(tags: readonly string[]): Promise<Map<string, TagState> | undefined> {
    if (!tags.length) return new Map();
    try {
      const ms = this.options.getTimeoutMs;
      return await deadline(this.tagStates(this.layers().tags, tags, { timeoutMs: ms }), ms, 'get');
    } catch (error) {
      this.fail(error, 'get');
      return undefined;
    }
  }

  /**
   * Writes an entry; never rejects. `produce` builds the bytes (it may await Next's pending
   * entry); while it runs, reads of the same key wait for it.
   */
  write(
    key: string,
    produce: () => Promise<{ bytes: Uint8Array; ttlSeconds: number } | undefined>,
  ): Promise<void> {
    const run = (async () => {
      try {
        const item = await produce();
        if (!item || this.down) return;
        const ms = this.options.setTimeoutMs;
        const { store } = this.layers();
        // Fence the near copy on both sides: no read that overlapped the write may keep its value.
        this.entryNear?.touch(key);
        try {
          await deadline(
            store.set(key, item.bytes, {
              ttlSeconds: item.ttlSeconds,
              timeoutMs: ms,
              signal: AbortSignal.timeout(ms),
            }),
            ms,
            'set',
          );
        } finally {
          this.entryNear?.touch(key);
        }
      } catch (error) {
        this.fail(error, 'set');
      }
    })();
    const tracked = run.finally(() => {
      if (this.pending.get(key) === tracked) this.pending.delete(key);
    });
    this.pending.set(key, tracked);
    return tracked;
  }

  /**
   * Records a revalidation of `tags` for every instance. Rejects when it could not be recorded:
   * reporting success for a revalidation nobody will see is worse than an error.
   * `expireSeconds` undefined or 0 expires at once; otherwise the tags turn stale now
   * (stale-while-revalidate) and expire after that many seconds.
   */
  async invalidate(tags: readonly string[], expireSeconds: number | undefined): Promise<void> {
    const unique = [...new Set(tags)].filter((t) => typeof t === 'string' && t.length > 0);
    if (!unique.length) return;
    const ms = this.options.setTimeoutMs;
    this.tagEpoch++;
    try {
      await deadline(
        this.layers().tags.invalidate(unique, { expireInSeconds: expireSeconds ?? 0 }),
        ms,
        'revalidate',
      );
    } catch (error) {
      this.options.onError(error, 'revalidate');
      throw error;
    } finally {
      // This instance sees its own revalidation at once, recorded or not.
      this.tagEpoch++;
      for (const tag of unique) this.tagNear?.delete(tag);
    }
  }
}
