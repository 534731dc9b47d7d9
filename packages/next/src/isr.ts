import { decodeEnvelope, EnvelopeError, encodeEnvelope } from '@momento-http/core';
import { readBuildId } from './build-id';
import { copySharingBytes } from './copy-sharing-bytes';
import { HandlerEngine } from './handler-engine';
import { type NextCacheOptions, resolveOptions } from './options';
import { registerRevalidator } from './revalidate-tags';
import { SEED_HOOK, type SeedHook } from './seed-hook';
import { entryTtlSeconds } from './ttl';

/** `{ revalidate, expire }` in seconds, as Next passes it (15.3+) and accepts back from `get` (16.4+). */
export interface CacheControl {
  revalidate: number | false;
  expire: number | undefined;
}

/** The constructor context Next gives the `cacheHandler` class (the fields this handler uses). */
export interface IsrHandlerContext {
  serverDistDir?: string;
  [key: string]: unknown;
}

/** What `get` returns to Next. */
export interface IsrCacheEntry {
  lastModified: number;
  value: IsrValue | null;
  cacheControl?: CacheControl;
}

/** A Next incremental-cache value (APP_PAGE, APP_ROUTE, PAGES, FETCH, REDIRECT, IMAGE); opaque here. */
export type IsrValue = { kind: string; [field: string]: unknown };

/** The get/set context: `kind` (15.x+), FETCH `tags`/`softTags`, page `cacheControl`, 15.0–15.2 `revalidate`. */
export interface IsrContext {
  kind?: string;
  kindHint?: string;
  fetchCache?: boolean;
  tags?: string[];
  softTags?: string[];
  cacheControl?: CacheControl;
  revalidate?: number | false;
  [key: string]: unknown;
}

interface StoredEntry {
  lastModified: number;
  tags: string[];
  cacheControl?: CacheControl;
  value: IsrValue | null;
}

/** The shape Next requires of `cacheHandler`: a class it constructs once per request. */
export interface IsrHandlerClass {
  new (ctx?: IsrHandlerContext): IsrHandler;
}

/** One per-request handler instance. */
export interface IsrHandler {
  get(key: string, ctx?: IsrContext): Promise<IsrCacheEntry | null>;
  set(key: string, data: IsrValue | null, ctx?: IsrContext): Promise<void>;
  revalidateTag(tags: string | string[], durations?: { expire?: number }): Promise<void>;
  resetRequestCache(): void;
}

const TAGS_HEADER = 'x-next-cache-tags';
/** Fetch entries live across deployments (as Next's file-system cache keeps them). */
const FETCH_SCOPE = 'fetch';

const isFetch = (ctx: IsrContext | undefined, data?: IsrValue | null): boolean =>
  ctx?.kind === 'FETCH' ||
  ctx?.kindHint === 'fetch' ||
  ctx?.fetchCache === true ||
  data?.kind === 'FETCH';

/** Tags an entry carries: the header of pages and routes, the context of fetches. */
function entryTags(data: IsrValue | null, ctx: IsrContext | undefined): string[] {
  if (isFetch(ctx, data)) {
    const fromValue = (data as { tags?: unknown } | null)?.tags;
    const all: unknown[] = [...(ctx?.tags ?? []), ...(Array.isArray(fromValue) ? fromValue : [])];
    return [...new Set(all.filter((tag): tag is string => typeof tag === 'string' && tag !== ''))];
  }
  const header = (data?.headers as Record<string, unknown> | undefined)?.[TAGS_HEADER];
  return typeof header === 'string' && header ? header.split(',').filter(Boolean) : [];
}

/** What is stored for `set(key, data, ctx)`: the tags and lifetime Next gives, and a copy of `data`. */
function storedEntryOf(
  data: IsrValue | null,
  ctx: IsrContext | undefined,
  lastModified = Date.now(),
): StoredEntry {
  const cacheControl =
    ctx?.cacheControl ??
    (ctx?.revalidate !== undefined ? { revalidate: ctx.revalidate, expire: undefined } : undefined);
  // Next keeps using `data` after `set`: this process serves a copy of its own.
  const entry: StoredEntry = {
    lastModified,
    tags: entryTags(data, ctx),
    value: copySharingBytes(data),
  };
  if (cacheControl) {
    entry.cacheControl = { revalidate: cacheControl.revalidate, expire: cacheControl.expire };
  }
  return entry;
}

/** Checks the decoded envelope is one of this handler's entries (another writer's value is a miss). */
function isStoredEntry(value: unknown): value is StoredEntry {
  const e = value as Partial<StoredEntry> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.lastModified === 'number' &&
    Array.isArray(e.tags) &&
    e.tags.every((tag) => typeof tag === 'string') &&
    typeof e.value === 'object'
  );
}

async function decodeStoredEntry(bytes: Uint8Array): Promise<StoredEntry> {
  const entry = await decodeEnvelope(bytes);
  if (!isStoredEntry(entry)) throw new EnvelopeError('MALFORMED', 'not a Next ISR cache entry');
  return entry;
}

/**
 * Builds a Next.js `cacheHandler` class over Momento. Every class it returns shares one engine
 * (store, near cache, writes in flight), however many instances Next creates; the tag states are
 * shared with every other handler of this process over the same cache and namespace.
 *
 * @example
 * // cache-handler.mjs, referenced by next.config `cacheHandler`
 * import { createIsrHandler } from '@momento-http/next/isr';
 * export default createIsrHandler({ cacheName: 'next', nearCache: true });
 */
export function createIsrHandler(options: NextCacheOptions = {}): IsrHandlerClass {
  const resolved = resolveOptions(options);
  const engine = new HandlerEngine<StoredEntry>(resolved, {
    decode: decodeStoredEntry,
    tagsOf: (entry) => entry.tags,
    createdAt: (entry) => entry.lastModified,
  });
  let pagePrefix = resolved.keyPrefix;
  const scopeOf = (ctx: IsrContext | undefined, data?: IsrValue | null) =>
    isFetch(ctx, data) ? FETCH_SCOPE : `page|${pagePrefix ?? 'dev'}`;

  const encode = (entry: StoredEntry) =>
    encodeEnvelope(entry, { compressAboveBytes: resolved.compressAboveBytes });

  // The build's entries, stored as a render at build time would have stored them.
  const seed: SeedHook = async (source, { buildId, readFirst }) => {
    const ctx: IsrContext = { kind: source.kind, cacheControl: source.cacheControl };
    const entry = storedEntryOf(source.value, ctx, source.lastModified);
    // It lives `expire` from when the build made it, not from now.
    const expire = entry.cacheControl?.expire;
    const left =
      expire === undefined || !Number.isFinite(expire)
        ? undefined
        : expire - (Date.now() - entry.lastModified) / 1000;
    if (left !== undefined && left <= 0) return 'expired';
    const scope = source.kind === 'FETCH' ? FETCH_SCOPE : `page|${resolved.keyPrefix ?? buildId}`;
    const item = {
      entry,
      bytes: await encode(entry),
      ttlSeconds: entryTtlSeconds(left, resolved.maxTtlSeconds),
    };
    // Keep what a render after the build stored (newer), or an earlier seed of it (as new).
    const keep = readFirst
      ? (existing: StoredEntry) => existing.lastModified >= entry.lastModified
      : undefined;
    return engine.seed(scope, source.key, item, keep);
  };

  return class MomentoIsrHandler implements IsrHandler {
    static readonly [SEED_HOOK] = seed;

    constructor(ctx: IsrHandlerContext = {}) {
      pagePrefix ??= readBuildId(ctx.serverDistDir);
      // The class Next constructs is the one `revalidateTags` records through.
      registerRevalidator(engine);
    }

    async get(key: string, ctx?: IsrContext): Promise<IsrCacheEntry | null> {
      // Fetch entries name their tags in the context; pages carry theirs inside the entry.
      const extraTags = [...(ctx?.tags ?? []), ...(ctx?.softTags ?? [])];
      const read = await engine.read(scopeOf(ctx), key, { extraTags });
      if (!read) return null;
      const { entry } = read;
      let lastModified = entry.lastModified;
      if (read.verdict === 'stale') {
        // Stale-while-revalidate across instances: backdate the entry past its revalidate time,
        // so Next serves it once and regenerates in the background, as its own handler does.
        const revalidate = isFetch(ctx, entry.value)
          ? (ctx?.revalidate as number | undefined) ||
            (entry.value as { revalidate?: number }).revalidate
          : entry.cacheControl?.revalidate;
        if (typeof revalidate !== 'number' || revalidate <= 0) return null;
        lastModified = Math.min(lastModified, Date.now() - revalidate * 1000 - 1);
      }
      // The entry may be held near or be a write in flight: Next gets its own objects.
      const result: IsrCacheEntry = { lastModified, value: copySharingBytes(entry.value) };
      if (entry.cacheControl) result.cacheControl = { ...entry.cacheControl };
      return result;
    }

    async set(key: string, data: IsrValue | null, ctx?: IsrContext): Promise<void> {
      // Built inside the write: whatever Next hands over, a failure is reported, never thrown.
      await engine.write(scopeOf(ctx, data), key, async () => {
        const entry = storedEntryOf(data, ctx);
        return {
          entry,
          bytes: await encode(entry),
          ttlSeconds: entryTtlSeconds(entry.cacheControl?.expire, resolved.maxTtlSeconds),
        };
      });
    }

    async revalidateTag(tags: string | string[], durations?: { expire?: number }): Promise<void> {
      await engine.invalidate(typeof tags === 'string' ? [tags] : tags, durations?.expire);
    }

    resetRequestCache(): void {}
  };
}
