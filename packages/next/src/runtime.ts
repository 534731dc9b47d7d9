import {
  type CacheStore,
  createClient,
  NearCache,
  type TagState,
  TagStore,
  withChunking,
  withNearCache,
} from '@momento-http/core';
import { type ResolvedOptions } from './options';

/** Thrown (and reported to onError) when a read or write misses its deadline. */
export class CacheDeadlineError extends Error {
  constructor(operation: string, ms: number) {
    super(`@momento-http/next: ${operation} exceeded ${ms} ms`);
    this.name = 'CacheDeadlineError';
  }
}

const KNOWN_TAGS_LIMIT = 10_000;
const TAG_STATE_BYTES = 64;
/** The near cache's marker for "this tag was never revalidated". */
const NEVER: TagState = Object.freeze({ stale: 0, expired: 0 });
const MAX_PLAIN_KEY_LENGTH = 200;
const encoder = new TextEncoder();

const hex = (bytes: ArrayBuffer): string =>
  Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * The state both handler kinds share in one process: the store stack, the tag store, pending
 * writes and a small memo of each key's tags. Next constructs the `cacheHandler` class once per
 * request, so this lives at module scope (one Runtime per factory call) and is built lazily: a
 * handler module imported during `next build` without credentials costs nothing and never throws.
 */
export class Runtime {
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
  private downUntil = 0;

  constructor(options: ResolvedOptions) {
    this.options = options;
    if (options.nearCache) {
      const { maxBytes, ttlMs, now } = options.nearCache;
      this.tagNear = new NearCache<TagState>({
        maxBytes,
        ttlMs,
        now,
        sizeOf: () => TAG_STATE_BYTES,
      });
    }
  }

  private layers(): { store: CacheStore; tags: TagStore } {
    if (!this.stack) {
      try {
        const o = this.options;
        const base = o.store ?? (o.client ?? createClient()).cache(o.cacheName);
        let store: CacheStore = withChunking(base, {
          maxItemBytes: o.maxItemBytes,
          maxTtlSeconds: o.maxTtlSeconds,
          onError: (error) => o.onError(error, 'chunking'),
        });
        const tags = new TagStore(store, {
          prefix: `${o.namespace}tag|`,
          ttlSeconds: o.maxTtlSeconds,
        });
        if (o.nearCache) store = withNearCache(store, o.nearCache);
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
    return Date.now() < this.downUntil;
  }

  private fail(error: unknown, operation: string): void {
    const retryable = (error as { retryable?: unknown } | null)?.retryable;
    if (retryable !== false) this.downUntil = Date.now() + this.options.circuitBreakMs;
    this.options.onError(error, operation);
  }

  /** The store key for a namespaced key: long keys are replaced by their SHA-256. */
  async key(scope: string, raw: string): Promise<string> {
    const prefix = `${this.options.namespace}${scope}|`;
    if (raw.length <= MAX_PLAIN_KEY_LENGTH) return prefix + raw;
    const digest = await crypto.subtle.digest('SHA-256', encoder.encode(raw));
    return `${prefix}#${hex(digest)}`;
  }

  tagsFor(key: string): readonly string[] {
    return this.knownTags.get(key) ?? [];
  }

  rememberTags(key: string, tags: readonly string[]): void {
    if (this.knownTags.size >= KNOWN_TAGS_LIMIT) this.knownTags.clear();
    this.knownTags.set(key, tags);
  }

  /**
   * Reads an entry and the state of `tags` concurrently, within the read deadline. Any failure
   * (unconfigured, unreachable, timeout) is reported and becomes `undefined`: a miss.
   */
  async read(
    key: string,
    tags: readonly string[],
  ): Promise<{ bytes: Uint8Array | undefined; tags: Map<string, TagState> } | undefined> {
    const inFlight = this.pending.get(key);
    if (inFlight) await inFlight;
    if (this.down) return undefined;
    const ms = this.options.getTimeoutMs;
    try {
      const { store, tags: tagStore } = this.layers();
      // The client enforces `timeoutMs` on each call; `deadline` bounds the whole read.
      const work = Promise.all([
        store.get(key, { timeoutMs: ms }),
        this.tagStates(tagStore, tags, { timeoutMs: ms }),
      ]);
      const [bytes, states] = await deadline(work, ms, 'get');
      return { bytes, tags: states };
    } catch (error) {
      this.fail(error, 'get');
      return undefined;
    }
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
    const fetched = await store.read(missing, call);
    for (const tag of missing) {
      const state = fetched.get(tag);
      this.tagNear.set(tag, state ?? NEVER);
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
        await deadline(
          store.set(key, item.bytes, {
            ttlSeconds: item.ttlSeconds,
            timeoutMs: ms,
            signal: AbortSignal.timeout(ms),
          }),
          ms,
          'set',
        );
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
      for (const tag of unique) this.tagNear?.delete(tag);
    }
  }
}

/** Resolves `work` or rejects with a CacheDeadlineError after `ms`; the timer never keeps the process alive. */
function deadline<T>(work: Promise<T>, ms: number, operation: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CacheDeadlineError(operation, ms)), ms);
    (timer as { unref?: () => void }).unref?.();
  });
  // A late rejection of `work` after the deadline must not surface as an unhandled rejection.
  work.catch(() => {});
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Newest revalidation of any tag, split by kind. */
export function tagVerdict(
  states: Map<string, TagState>,
  tags: Iterable<string>,
  since: number,
  now = Date.now(),
): 'fresh' | 'stale' | 'expired' {
  let stale = false;
  for (const tag of tags) {
    const state = states.get(tag);
    if (!state) continue;
    if (state.expired > since && state.expired <= now) return 'expired';
    if (state.stale > since) stale = true;
  }
  return stale ? 'stale' : 'fresh';
}
