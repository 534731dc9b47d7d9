import {
  BackgroundRefresh,
  BoundedMap,
  type CacheStatsSnapshot,
  Deadline,
  type EntrySource,
  FillFlights,
  InvalidArgumentError,
  parseCacheControl,
  READ_FAILED,
} from '@momento-http/core';
import CachePolicy from 'http-cache-semantics';
import type { CacheStatus } from './cache-status';
import { EntryStore } from './entry-store';
import { evaluateReuse } from './freshness';
import { invalidateOnEnd, isUnsafe, keyForUrl, parsePurgeUrl } from './invalidation';
import { defaultUrlKey, newGeneration, parseVary, primaryKey, variantKey, varyValues } from './key';
import { normalizeOptions, type ResponseCacheOptions } from './options';
import { callOrigin, type Fresh } from './origin';
import { PurgeAll } from './purge-all';
import { answerRange } from './range';
import { dispatchRefresh, REFRESH } from './refresh';
import { gatewayTimeout, reportOutcome, serveEntry } from './serve';
import type { CacheRequest, CacheResponse, Entry, VarySpec } from './types';

/** How long an unsafe method's invalidation blocks storing fills that started before it. */
const INVALIDATION_MEMORY_MS = 60_000;
/** Invalidated keys remembered for that; the oldest is forgotten first. */
const INVALIDATIONS_REMEMBERED = 10_000;

/** What `purge` invalidates. */
export interface PurgeTarget {
  /** Every entry carrying one of these tags, in every instance sharing the cache. */
  tags?: string[];
  /** Absolute URLs (`https://shop.example/items/1`); every variant of each is removed. */
  urls?: string[];
  /** Every entry this middleware (its `keyPrefix`) stored, in every instance (within a second). */
  all?: boolean;
}

/** The middleware returned by {@link responseCache}. */
export interface ResponseCacheMiddleware {
  (req: CacheRequest, res: CacheResponse, next: (error?: unknown) => void): void;
  /** Invalidates by tag and URL across all instances. Rejects when the cache cannot be reached. */
  purge(target: PurgeTarget): Promise<void>;
  /**
   * This middleware's figures since it was made: one read per request it looked up (`hits`,
   * `misses`, `stale`, `nearHits`), `errors` swallowed, `bytesRead`/`bytesWritten` of values.
   */
  stats(): CacheStatsSnapshot;
}

interface RefreshMarker {
  owner: object;
  entry: Entry;
}

interface Lookup {
  primary: string;
  spec: VarySpec | undefined;
  entry: Entry | undefined;
  /** The primary key could not be read: a spec may be stored there that must not be replaced. */
  unreadable?: boolean;
  /** Where `entry` came from (near cache, a write in flight, the store). */
  source?: EntrySource;
}

/**
 * A shared HTTP cache (RFC 9111, RFC 5861) for Express 4 and 5, with its entries in Momento.
 *
 * @example
 * import express from 'express';
 * import { responseCache } from '@momento-http/express';
 *
 * const cache = responseCache(); // MOMENTO_API_KEY, MOMENTO_CACHE_NAME
 * const app = express();
 * app.use(cache);
 * app.get('/products', (req, res) => {
 *   res.set('Cache-Control', 'public, s-maxage=60').set('Cache-Tag', 'products').json(list());
 * });
 * app.post('/products', async (req, res) => { await add(req); await cache.purge({ tags: ['products'] }); res.sendStatus(201); });
 */
export function responseCache(options: ResponseCacheOptions = {}): ResponseCacheMiddleware {
  const opts = normalizeOptions(options);
  const store = new EntryStore(opts);
  const purgeAll = new PurgeAll(opts.store, opts.keyPrefix, opts.readTimeoutMs, opts.onError);
  store.followPurgeAll(purgeAll);
  /** Concurrent misses of one response wait for the first one's origin call. */
  const fills = new FillFlights<Fresh>();
  // One refresh per key at a time; one that never finishes is forgotten after 30 s.
  const refreshes = new BackgroundRefresh({ onError: (error) => opts.onError(error, 'refresh') });
  const invalidatedAt = new BoundedMap<string, number>(INVALIDATIONS_REMEMBERED);
  const owner = {};

  /**
   * Deletes `keys` (never rejects) and blocks this instance's fills that started before. A write
   * of a key still in flight cannot land after its delete: the engine sends one key's writes in
   * call order.
   */
  const invalidate = (keys: string[]): Promise<unknown> => {
    const now = Date.now();
    for (const key of keys) invalidatedAt.set(key, now);
    return Promise.all(keys.map((key) => store.delete(key)));
  };

  /** Stores a fresh response under its primary key, or as a variant below a vary spec. */
  const persist = (lookup: Lookup, fresh: Fresh) => {
    const blockedAt = invalidatedAt.get(lookup.primary);
    if (blockedAt !== undefined) {
      if (blockedAt >= fresh.entry.storedAt) return;
      if (Date.now() - blockedAt > INVALIDATION_MEMORY_MS) invalidatedAt.delete(lookup.primary);
    }
    if (fresh.ttlSeconds <= 0) return;
    const fields = parseVary(fresh.entry.headers.vary);
    if (fields.length === 0) {
      void store.write(lookup.primary, fresh.entry, fresh.ttlSeconds);
      return;
    }
    // A new spec (a new generation) would orphan every variant stored under the one unread.
    if (lookup.unreadable) return;
    const same = lookup.spec && lookup.spec.fields.join() === fields.join();
    const spec: VarySpec = same
      ? (lookup.spec as VarySpec)
      : { kind: 'vary', fields, gen: newGeneration() };
    if (!same) void store.write(lookup.primary, spec, opts.maxTtlSeconds);
    void store.write(
      variantKey(lookup.primary, spec.gen, fresh.vary),
      fresh.entry,
      fresh.ttlSeconds,
    );
  };

  /** The spec, variant and tag reads of one request share one deadline of `readTimeoutMs`. */
  const lookup = async (req: CacheRequest, primary: string): Promise<Lookup> => {
    const deadline = new Deadline(opts.readTimeoutMs, { operation: 'express cache lookup' });
    // A write of this key still in flight is read back by the entry store (read your own writes).
    const seen: { source?: EntrySource } = {};
    const reading = store.read(primary, deadline, seen);
    // The purge-all time is read at most once a second: most lookups await no second promise.
    const purgedAt = purgeAll.known() ?? (await purgeAll.read());
    const record = await reading;
    if (record === READ_FAILED)
      return { primary, spec: undefined, entry: undefined, unreadable: true };
    const live = (entry: Entry | undefined) =>
      entry && entry.storedAt > purgedAt ? entry : undefined;
    if (record?.kind !== 'vary') {
      return { primary, spec: undefined, entry: live(record), source: seen.source };
    }
    const variant = await store.read(
      variantKey(primary, record.gen, varyValues(req, record.fields)),
      deadline,
      seen,
    );
    const entry = variant !== READ_FAILED && variant?.kind === 'entry' ? live(variant) : undefined;
    return { primary, spec: record, entry, source: seen.source };
  };

  /** Stale-while-revalidate: the app handles a copy of the request in the background. */
  const refreshInBackground = (req: CacheRequest, key: string, entry: Entry) => {
    const marker: RefreshMarker = { owner, entry };
    refreshes.start(
      key,
      () =>
        new Promise<void>((resolve, reject) => {
          if (!dispatchRefresh(req, marker, resolve)) {
            reject(new Error('background refresh needs an Express app'));
          }
        }),
    );
  };

  /**
   * Serves `entry` if the request may reuse it (fresh, allowed stale, or SWR): `'HIT'` or
   * `'STALE'`; false otherwise.
   */
  const serveStored = (
    req: CacheRequest,
    res: CacheResponse,
    primary: string,
    entry: Entry,
  ): 'HIT' | 'STALE' | false => {
    if (answerRange(entry, req.headers.range).kind === 'none') return false;
    const policy = policyOf(entry);
    const reuse = evaluateReuse(policy, entry, req);
    if (reuse.kind === 'revalidate') return false;
    const state = reuse.kind === 'fresh' ? 'HIT' : 'STALE';
    const status: CacheStatus = { hit: true, ttl: policy.maxAge() - reuse.age };
    serveEntry(req, res, entry, reuse.age, { state, status }, opts);
    if (reuse.kind === 'swr') {
      const fields = parseVary(entry.headers.vary);
      refreshInBackground(req, `${primary}|${varyValues(req, fields)}`, entry);
    }
    return state;
  };

  /** One user-level read counted: what the lookup found and whether it was served. */
  const countRead = (entry: Entry, served: 'HIT' | 'STALE' | false, source?: EntrySource) => {
    opts.stats.recordRead(
      served ? { entry, verdict: served === 'STALE' ? 'stale' : 'fresh', source } : undefined,
    );
  };

  /** A near-cache hit, served synchronously (no promise on the hot path); false otherwise. */
  const serveFromNear = (req: CacheRequest, res: CacheResponse, primary: string): boolean => {
    if (!opts.nearCache) return false;
    const purgedAt = purgeAll.known();
    if (purgedAt === undefined) return false;
    let record = store.peek(primary);
    if (record?.kind === 'vary') {
      record = store.peek(variantKey(primary, record.gen, varyValues(req, record.fields)));
    }
    if (record?.kind !== 'entry' || record.storedAt <= purgedAt) return false;
    const served = serveStored(req, res, primary, record);
    // Not served: the request goes on to `handle`, whose lookup counts it.
    if (served) countRead(record, served, 'near');
    return served !== false;
  };

  const handle = async (
    req: CacheRequest,
    res: CacheResponse,
    next: () => void,
    primary: string,
  ) => {
    const marker = (req as unknown as Record<symbol, RefreshMarker | undefined>)[REFRESH];
    if (marker?.owner === owner) {
      const found = await lookup(req, primary);
      await callOrigin({
        req,
        res,
        next,
        options: opts,
        stale: marker.entry,
        background: true,
        persist: (fresh) => persist(found, fresh),
        fwd: 'stale',
      });
      return;
    }
    const found = await lookup(req, primary);
    const { entry } = found;
    const served = entry ? serveStored(req, res, primary, entry) : false;
    if (entry) countRead(entry, served, found.source);
    else opts.stats.recordRead(undefined);
    if (served) return;
    if (parseCacheControl(req.headers['cache-control'])['only-if-cached']) {
      gatewayTimeout(res, opts);
      return;
    }
    const fwd = forwardReason(found);

    const origin = () =>
      callOrigin({
        req,
        res,
        next,
        options: opts,
        stale: entry,
        background: false,
        persist: (fresh) => persist(found, fresh),
        fwd,
      });
    const noStore = parseCacheControl(req.headers['cache-control'])['no-store'];
    // A Range request's answer is a part: it is never handed to requests waiting for the whole.
    if (!opts.singleFlight || noStore || req.headers.range !== undefined) {
      await origin();
      return;
    }
    const flightKey = found.spec
      ? variantKey(primary, found.spec.gen, varyValues(req, found.spec.fields))
      : primary;
    const fill = fills.join(flightKey);
    if (fill.leader) {
      try {
        fill.settle(await origin());
      } finally {
        fill.settle(undefined);
      }
      return;
    }
    const fresh = await fill.wait(opts.lockTimeoutMs);
    const fields = fresh ? parseVary(fresh.entry.headers.vary) : [];
    if (fresh && fresh.vary === varyValues(req, fields)) {
      const ttl = policyOf(fresh.entry).maxAge();
      const status: CacheStatus = { fwd, collapsed: true, stored: true, ttl };
      serveEntry(req, res, fresh.entry, 0, { state: 'HIT', status }, opts);
      return;
    }
    await origin();
  };

  const middleware = (req: CacheRequest, res: CacheResponse, next: (error?: unknown) => void) => {
    let passed = false;
    const pass = () => {
      if (passed) return;
      passed = true;
      next();
    };
    /** Not for this cache: said so in Cache-Status, and handed on. */
    const bypass = (fwd: 'method' | 'bypass') => {
      reportOutcome(res, { state: 'MISS', status: { fwd } }, { ...opts, statusHeader: undefined });
      pass();
    };
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        if (isUnsafe(req.method)) invalidateOnEnd(opts, req, res, invalidate);
        return bypass('method');
      }
      if (
        (req.originalMethod !== undefined && req.originalMethod !== req.method) ||
        req.headers['if-match'] !== undefined ||
        req.headers['if-unmodified-since'] !== undefined ||
        req.headers['if-range'] !== undefined ||
        opts.skip?.(req)
      ) {
        return bypass('bypass');
      }
      const urlKey = opts.keyGenerator ? opts.keyGenerator(req) : defaultUrlKey(req);
      if (!urlKey) return bypass('bypass');
      const primary = primaryKey(opts.keyPrefix, urlKey);
      const refresh = (req as unknown as Record<symbol, unknown>)[REFRESH];
      if (!refresh && serveFromNear(req, res, primary)) return;
      handle(req, res, pass, primary).catch((error: unknown) => {
        opts.onError(error, 'read');
        if (!res.headersSent) pass();
      });
    } catch (error) {
      opts.onError(error, 'read');
      pass();
    }
  };

  const purge = async (target: PurgeTarget): Promise<void> => {
    if (!target || typeof target !== 'object') {
      throw new InvalidArgumentError(
        'purge takes { tags?: string[], urls?: string[], all?: true }',
      );
    }
    if (target.all !== undefined && typeof target.all !== 'boolean') {
      throw new InvalidArgumentError(`purge all must be a boolean, got ${typeof target.all}`);
    }
    const tags = target.tags ?? [];
    const urls = (target.urls ?? []).map(parsePurgeUrl);
    if (!Array.isArray(tags) || tags.some((tag) => typeof tag !== 'string' || !tag)) {
      throw new InvalidArgumentError('purge tags must be non-empty strings');
    }
    const keys = urls.map((url) => keyForUrl(opts, url)).filter((k): k is string => !!k);
    for (const key of keys) invalidatedAt.set(key, Date.now());
    await Promise.all([
      target.all ? purgeAll.purge() : undefined,
      tags.length ? store.invalidateTags(tags) : undefined,
      ...keys.map((key) => store.delete(key, { strict: true })),
    ]);
  };

  return Object.assign(middleware, { purge, stats: () => opts.stats.snapshot() });
}

/** Cache-Status `fwd`: why a request that found no usable entry goes to the origin. */
function forwardReason(found: Lookup): NonNullable<CacheStatus['fwd']> {
  if (!found.entry) return found.spec ? 'vary-miss' : 'uri-miss';
  const policy = policyOf(found.entry);
  // A fresh entry not used: the request asked for validation (no-cache, max-age, min-fresh).
  return policy.maxAge() > policy.age() ? 'request' : 'stale';
}

/** Decoded entries are shared (near cache, concurrent reads): build each one's policy once. */
const policies = new WeakMap<Entry, CachePolicy>();
function policyOf(entry: Entry): CachePolicy {
  let policy = policies.get(entry);
  if (!policy) {
    policy = CachePolicy.fromObject(entry.policy as unknown as CachePolicy.CachePolicyObject);
    policies.set(entry, policy);
  }
  return policy;
}
