import { decodeEnvelope, encodeEnvelope } from '@momento-http/core';
import { readBuildId } from './build-id';
import { copySharingBytes } from './near-entries';
import { type NextCacheOptions, resolveOptions } from './options';
import { Runtime } from './runtime';
import { entryTtlSeconds } from './ttl';
import { readVerified } from './verified-read';

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
    return [...new Set([...(ctx?.tags ?? []), ...(Array.isArray(fromValue) ? fromValue : [])])];
  }
  const header = (data?.headers as Record<string, unknown> | undefined)?.[TAGS_HEADER];
  return typeof header === 'string' && header ? header.split(',') : [];
}

/**
 * Builds a Next.js `cacheHandler` class over Momento. Every class it returns shares one runtime
 * (store, tag store, pending writes), however many instances Next creates.
 *
 * @example
 * // cache-handler.mjs, referenced by next.config `cacheHandler`
 * import { createIsrHandler } from '@momento-http/next/isr';
 * export default createIsrHandler({ cacheName: 'next', nearCache: true });
 */
export function createIsrHandler(options: NextCacheOptions = {}): IsrHandlerClass {
  const resolved = resolveOptions(options);
  const runtime = new Runtime<StoredEntry>(resolved);
  let pagePrefix = resolved.keyPrefix;
  const decode = async (bytes: Uint8Array) => (await decodeEnvelope(bytes)) as StoredEntry;

  const storeKey = (key: string, ctx: IsrContext | undefined, data?: IsrValue | null) =>
    runtime.key(isFetch(ctx, data) ? FETCH_SCOPE : `page|${pagePrefix ?? 'dev'}`, key);

  return class MomentoIsrHandler implements IsrHandler {
    constructor(ctx: IsrHandlerContext = {}) {
      pagePrefix ??= readBuildId(ctx.serverDistDir);
    }

    async get(key: string, ctx?: IsrContext): Promise<IsrCacheEntry | null> {
      const k = storeKey(key, ctx);
      // Fetch entries name their tags in the context; pages carry none (their memo is used as is).
      const extraTags = [...(ctx?.tags ?? []), ...(ctx?.softTags ?? [])];
      const read = await readVerified(runtime, k, extraTags, decode, (e) => e.lastModified);
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
      // A near-cached entry serves every request: Next gets its own objects around shared bytes.
      const value = read.shared ? copySharingBytes(entry.value) : entry.value;
      const result: IsrCacheEntry = { lastModified, value };
      if (entry.cacheControl) result.cacheControl = { ...entry.cacheControl };
      return result;
    }

    async set(key: string, data: IsrValue | null, ctx?: IsrContext): Promise<void> {
      const k = storeKey(key, ctx, data);
      const tags = entryTags(data, ctx);
      runtime.rememberTags(k, tags);
      const cacheControl =
        ctx?.cacheControl ??
        (ctx?.revalidate !== undefined
          ? { revalidate: ctx.revalidate, expire: undefined }
          : undefined);
      await runtime.write(k, async () => {
        const stored: StoredEntry = { lastModified: Date.now(), tags, value: data };
        if (cacheControl)
          stored.cacheControl = {
            revalidate: cacheControl.revalidate,
            expire: cacheControl.expire,
          };
        const bytes = await encodeEnvelope(stored, {
          compressAboveBytes: resolved.compressAboveBytes,
        });
        return { bytes, ttlSeconds: entryTtlSeconds(cacheControl?.expire, resolved.maxTtlSeconds) };
      });
    }

    async revalidateTag(tags: string | string[], durations?: { expire?: number }): Promise<void> {
      await runtime.invalidate(typeof tags === 'string' ? [tags] : tags, durations?.expire);
    }

    resetRequestCache(): void {}
  };
}
