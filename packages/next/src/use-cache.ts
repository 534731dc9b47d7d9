import { decodeEnvelope, EnvelopeError, encodeEnvelope, readBounded } from '@momento-http/core';
import { HandlerEngine } from './handler-engine';
import { type NextCacheOptions, resolveOptions } from './options';
import { entryTtlSeconds } from './ttl';

/** A `'use cache'` entry as Next hands it over and expects it back. */
export interface UseCacheEntry {
  value: ReadableStream<Uint8Array>;
  tags: string[];
  /** Client-side stale time, seconds. */
  stale: number;
  /** Creation time, epoch ms. */
  timestamp: number;
  /** Hard limit, seconds. */
  expire: number;
  /** Seconds; past it Next serves the entry and regenerates it. -1 forces that. */
  revalidate: number;
}

/**
 * The `cacheHandlers` object Next registers as is (it never constructs it). Implements the 16.x
 * interface (`getExpiration(tags)`, `updateTags(tags, durations)`) and the 15.x one (variadic
 * `getExpiration(...tags)`, `expireTags(...tags)`).
 */
export interface UseCacheHandler {
  get(cacheKey: string, softTags?: string[]): Promise<UseCacheEntry | undefined>;
  set(cacheKey: string, pendingEntry: Promise<UseCacheEntry>): Promise<void>;
  refreshTags(): Promise<void>;
  getExpiration(...tags: (string | string[])[]): Promise<number>;
  updateTags(tags: string[], durations?: { expire?: number }): Promise<void>;
  expireTags(...tags: (string | string[])[]): Promise<void>;
}

interface StoredEntry {
  value: Uint8Array;
  tags: string[];
  stale: number;
  timestamp: number;
  expire: number;
  revalidate: number;
}

/** Every `'use cache'` key is stored under this scope (keys embed the build id already). */
const USE_CACHE_SCOPE = 'uc';

const flat = (args: (string | string[])[]): string[] =>
  args.flatMap((a) => (Array.isArray(a) ? a : [a]));

/** A new stream over the stored bytes for every read: Next consumes what it gets. */
const streamOf = (bytes: Uint8Array): ReadableStream<Uint8Array> =>
  new ReadableStream({
    start(controller) {
      controller.enqueue(bytes.slice());
      controller.close();
    },
  });

const NUMBER_FIELDS = ['stale', 'timestamp', 'expire', 'revalidate'] as const;

/** Checks the decoded envelope is one of this handler's entries (another writer's value is a miss). */
function isStoredEntry(value: unknown): value is StoredEntry {
  const e = value as Partial<StoredEntry> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    e.value instanceof Uint8Array &&
    Array.isArray(e.tags) &&
    e.tags.every((tag) => typeof tag === 'string') &&
    NUMBER_FIELDS.every((field) => typeof e[field] === 'number')
  );
}

async function decodeStoredEntry(bytes: Uint8Array): Promise<StoredEntry> {
  const entry = await decodeEnvelope(bytes);
  if (!isStoredEntry(entry)) throw new EnvelopeError('MALFORMED', "not a Next 'use cache' entry");
  return entry;
}

/** Next's own handler reads this clock for the same check (`Date.now()` is instrumented). */
const live = (entry: StoredEntry) =>
  performance.timeOrigin + performance.now() <= entry.timestamp + entry.expire * 1000;

/**
 * Builds a `'use cache'` handler over Momento, for `cacheHandlers.default` and `.remote`.
 * Implicit (soft) tags are checked inside `get`, so `getExpiration` answers `Infinity` and
 * costs no round trip; an entry's own `cacheTag()` tags are read concurrently with it. The tag
 * states are shared with every other handler of this process over the same cache and namespace.
 *
 * @example
 * // use-cache-handler.mjs, referenced by next.config `cacheHandlers.default` and `.remote`
 * import { createUseCacheHandler } from '@momento-http/next/use-cache';
 * export default createUseCacheHandler({ cacheName: 'next' });
 */
export function createUseCacheHandler(options: NextCacheOptions = {}): UseCacheHandler {
  const resolved = resolveOptions(options);
  const engine = new HandlerEngine<StoredEntry>(resolved, {
    decode: decodeStoredEntry,
    tagsOf: (entry) => entry.tags,
    createdAt: (entry) => entry.timestamp,
  });

  const handler: UseCacheHandler = {
    async get(cacheKey, softTags = []) {
      const read = await engine.read(USE_CACHE_SCOPE, cacheKey, {
        extraTags: softTags,
        usable: live,
      });
      if (!read) return undefined;
      const { entry, verdict } = read;
      // The stored bytes may be shared with the near cache: the stream gets its own copy.
      return {
        value: streamOf(entry.value),
        tags: [...entry.tags],
        stale: entry.stale,
        timestamp: entry.timestamp,
        expire: entry.expire,
        revalidate: verdict === 'stale' ? -1 : entry.revalidate,
      };
    },

    async set(cacheKey, pendingEntry) {
      await engine.write(USE_CACHE_SCOPE, cacheKey, async () => {
        const pending = await pendingEntry;
        // Next regenerates `expire: 0` entries on every read; storing them would be a wasted write.
        if (pending.expire === 0) return undefined;
        const entry: StoredEntry = {
          // Next's stream holds the whole entry in memory already: no limit beyond its own.
          value: (await readBounded(pending.value, Number.POSITIVE_INFINITY)) as Uint8Array,
          tags: pending.tags.filter((tag) => typeof tag === 'string'),
          stale: pending.stale,
          timestamp: pending.timestamp,
          expire: pending.expire,
          revalidate: pending.revalidate,
        };
        const bytes = await encodeEnvelope(entry, {
          compressAboveBytes: resolved.compressAboveBytes,
        });
        return { entry, bytes, ttlSeconds: entryTtlSeconds(entry.expire, resolved.maxTtlSeconds) };
      });
    },

    // Tag state is read on every `get`, so there is nothing to refresh per request.
    async refreshTags() {},

    // Implicit tags are checked in `get`; Infinity tells Next not to compare them again.
    async getExpiration() {
      return Number.POSITIVE_INFINITY;
    },

    async updateTags(tags, durations) {
      await engine.invalidate(tags, durations?.expire);
    },

    async expireTags(...tags) {
      await engine.invalidate(flat(tags), undefined);
    },
  };
  return handler;
}
