import { Redis } from 'ioredis';
import type { ItemKey, ItemStore } from './types.js';

/** All keys this server writes start with this, so a shared Redis can hold other data too. */
export const REDIS_PREFIX = 'momento-http:cache:';

/** The set of cache names every process sharing this Redis knows. */
export const CACHES_KEY = 'momento-http:caches';

/** Marks a Redis failure so the protocol answers 503 instead of 500. */
class StorageUnavailableError extends Error {
  readonly storageUnavailable = true;
}

const unavailable = (error: unknown): never => {
  throw new StorageUnavailableError(`redis: ${(error as Error).message}`, { cause: error });
};

/**
 * Cache items in Redis or Valkey: `SET key value EX ttl`, so Redis enforces TTLs, and several
 * server processes over one Redis see one dataset. Keys and values are Buffers end to end
 * (binary-safe). Item key: `momento-http:cache:<cache>:<key bytes>`; cache names cannot contain `:`.
 */
export class RedisItemStore implements ItemStore {
  readonly #redis: Redis;
  readonly #prefixes = new Map<string, Buffer>();

  constructor(redis: Redis) {
    this.#redis = redis;
  }

  #key(cache: string, item: ItemKey): Buffer {
    const key = item.bytes;
    let prefix = this.#prefixes.get(cache);
    if (prefix === undefined) {
      prefix = Buffer.from(`${REDIS_PREFIX}${cache}:`);
      this.#prefixes.set(cache, prefix);
    }
    return Buffer.concat([prefix, key], prefix.length + key.length);
  }

  async get(cache: string, key: ItemKey): Promise<Buffer | undefined> {
    const value = await this.#redis.getBuffer(this.#key(cache, key)).catch(unavailable);
    return value ?? undefined;
  }

  async set(cache: string, key: ItemKey, value: Buffer, ttlSeconds: number): Promise<boolean> {
    await this.#redis.set(this.#key(cache, key), value, 'EX', ttlSeconds).catch(unavailable);
    return true;
  }

  async delete(cache: string, key: ItemKey): Promise<void> {
    await this.#redis.del(this.#key(cache, key)).catch(unavailable);
  }

  async hasCache(cache: string): Promise<boolean> {
    return (await this.#redis.sismember(CACHES_KEY, cache).catch(unavailable)) === 1;
  }

  async addCache(cache: string): Promise<void> {
    await this.#redis.sadd(CACHES_KEY, cache).catch(unavailable);
  }

  /** Publishes the configured caches so processes started with fewer `--cache` flags see them. */
  async registerCaches(caches: string[]): Promise<void> {
    if (caches.length) await this.#redis.sadd(CACHES_KEY, ...caches).catch(unavailable);
  }

  stats() {
    // Redis keeps its own accounting (INFO memory); nothing is counted here.
    return { bytes: 0, items: 0, evictions: 0 };
  }

  async close(): Promise<void> {
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }
}

/** Connects (failing fast with a clear message when Redis is not reachable). */
export async function connectRedis(url: string, caches: string[] = []): Promise<ItemStore> {
  const redis = new Redis(url, {
    lazyConnect: true,
    // A request waits at most ~2 s for Redis, then the client gets a 503 it can retry.
    commandTimeout: 2_000,
    maxRetriesPerRequest: 1,
    connectTimeout: 5_000,
  });
  // Errors surface through the commands; without a listener ioredis would print them.
  redis.on('error', () => {});
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new Error(`cannot connect to Redis at ${redactUrl(url)}: ${(error as Error).message}`);
  }
  const store = new RedisItemStore(redis);
  await store.registerCaches(caches);
  return store;
}

/** Hides a password in a Redis URL. */
const redactUrl = (url: string): string => url.replace(/\/\/([^@/]*)@/, '//***@');
