import { type CacheStatsSnapshot, Deadline } from '@momento-http/core';
import { setWithTags } from '@momento-http/keyv';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { type CacheWriteOptions, writeOptions } from './cache-write-options';
import { MomentoCacheContext } from './context';
import { MOMENTO_CACHE } from './tokens';

/**
 * The cache for code (services, resolvers, jobs). It shares entries with `CACHE_MANAGER` and
 * `CacheInterceptor` (same keys, same namespace). Store failures never reject: a failed read is a
 * miss, a failed write returns `false`, and both go to `onError`. TTLs are in ms.
 *
 * @example
 * const user = await this.cache.wrap(`user:${id}`, () => this.users.find(id), 60_000);
 */
@Injectable()
export class MomentoCacheService {
  constructor(
    @Inject(CACHE_MANAGER) readonly cacheManager: Cache,
    @Inject(MOMENTO_CACHE) private readonly context: MomentoCacheContext,
  ) {}

  /**
   * The module's figures since it started: reads through this service, `CACHE_MANAGER` and
   * Nest's `CacheInterceptor` (one per key read), plus every `HttpCacheInterceptor` lookup;
   * `errors` swallowed; `bytesRead`/`bytesWritten` of stored values and tags.
   */
  stats(): CacheStatsSnapshot {
    return this.context.stats();
  }

  /** The value stored under `key`, or `undefined` (also when the store fails or is slow). */
  async get<T>(key: string): Promise<T | undefined> {
    try {
      const value = await this.cacheManager.get<T>(key);
      return value ?? undefined;
    } catch (error) {
      this.context.report(error, 'get', key);
      return undefined;
    }
  }

  /**
   * Stores `value` for `ttl` ms (a number, or `{ ttl }`; default: the module's `ttl`). With
   * `{ tags }` it is a miss once one of them is purged (`invalidateTags`, or any `@momento-http`
   * package's purge in the same tag namespace). Resolves `false` when the write failed.
   */
  async set<T>(key: string, value: T, options?: number | CacheWriteOptions): Promise<boolean> {
    const { ttl, tags } = writeOptions(options);
    try {
      // Through our Keyv instance (the one store cache-manager holds), because cache-manager's
      // `set` resolves even when Keyv reports the write failed.
      if (tags.length > 0) return await setWithTags(this.context.keyv, key, value, { ttl, tags });
      return await this.context.keyv.set(key, value, ttl);
    } catch (error) {
      this.context.report(error, 'set', key);
      return false;
    }
  }

  /** Deletes `key`. Resolves what the store reports: `false` when the delete failed. */
  async del(key: string): Promise<boolean> {
    try {
      return await this.context.keyv.delete(key);
    } catch (error) {
      this.context.report(error, 'del', key);
      return false;
    }
  }

  /**
   * Returns the cached value, or runs `fn`, stores its result and returns it. Concurrent calls
   * for one key in this process share one read and one `fn` call (single-flight). Errors of `fn`
   * reject (and are not cached); store errors never do. `undefined` results are not stored.
   * `options` as for {@link set}: a TTL in ms, or `{ ttl, tags }`.
   */
  wrap<T>(key: string, fn: () => T | Promise<T>, options?: number | CacheWriteOptions): Promise<T> {
    return this.context.flights.run(key, async () => {
      const cached = await this.get<T>(key);
      if (cached !== undefined) return cached;
      const value = await fn();
      if (value !== undefined) await this.set(key, value, options);
      return value;
    }) as Promise<T>;
  }

  /**
   * Invalidates every response, method result and value stored with one of `tags` (`@CacheTags`,
   * `@Cacheable({ tags })`, `set`/`wrap` with `{ tags }`), in every instance
   * sharing the cache (in this one at once). Resolves `false` when the store failed or did not
   * answer within `timeoutMs` (then other instances may not see it).
   */
  async invalidateTags(tags: string[]): Promise<boolean> {
    if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string' || !t)) {
      throw new TypeError('invalidateTags: expected an array of non-empty strings');
    }
    if (!tags.length) return true;
    try {
      const deadline = new Deadline(this.context.options.timeoutMs, {
        operation: 'invalidateTags',
      });
      await deadline.run((o) => this.context.tags.invalidate(tags, o));
      return true;
    } catch (error) {
      this.context.report(error, 'invalidateTags', tags.join(','));
      return false;
    }
  }
}
