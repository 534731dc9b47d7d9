import { Cluster, Redis } from 'ioredis';
import { CACHES_KEY, itemKey, itemKeyStart } from './redis-keys.js';
import type { ItemKey, ItemStore } from './types.js';

/** Marks a Redis failure so the protocol answers 503 instead of 500. */
class StorageUnavailableError extends Error {
  readonly storageUnavailable = true;
}

const unavailable = (error: unknown): never => {
  throw new StorageUnavailableError(`redis: ${(error as Error).message}`, { cause: error });
};

/**
 * Cache items in Redis or Valkey, one server or a Cluster: `SET key value EX ttl`, so Redis
 * enforces TTLs, and several server processes over one Redis see one dataset. Keys and values are
 * Buffers end to end (binary-safe). Key names: see `redis-keys.ts`.
 */
export class RedisItemStore implements ItemStore {
  readonly #redis: Redis | Cluster;
  readonly #starts = new Map<string, Buffer>();

  constructor(redis: Redis | Cluster) {
    this.#redis = redis;
  }

  /** The command connection; the topic store derives its blocking connections from it. */
  get client(): Redis | Cluster {
    return this.#redis;
  }

  #key(cache: string, item: ItemKey): Buffer {
    let start = this.#starts.get(cache);
    if (start === undefined) {
      start = itemKeyStart(cache);
      this.#starts.set(cache, start);
    }
    return itemKey(start, item.bytes);
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

/** Per-command settings shared by a single Redis and each node of a Cluster. */
const COMMAND_OPTIONS = {
  // A request waits at most ~2 s for Redis, then the client gets a 503 it can retry.
  commandTimeout: 2_000,
  maxRetriesPerRequest: 1,
  connectTimeout: 5_000,
};

/** Connects (failing fast with a clear message when Redis is not reachable). */
export async function connectRedis(url: string, caches: string[] = []): Promise<ItemStore> {
  const redis = new Redis(url, { lazyConnect: true, ...COMMAND_OPTIONS });
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

/**
 * Connects to a Redis/Valkey Cluster through any of its nodes (`host:port`); ioredis learns the
 * slot map from them and follows MOVED/ASK redirections, so no slot routing lives here.
 */
export async function connectRedisCluster(
  nodes: { host: string; port: number }[],
  caches: string[] = [],
): Promise<ItemStore> {
  const cluster = new Cluster(nodes, {
    lazyConnect: true,
    redisOptions: COMMAND_OPTIONS,
    // A cluster that is still electing (or just created) answers CLUSTERDOWN for a moment.
    retryDelayOnClusterDown: 100,
    slotsRefreshTimeout: 2_000,
  });
  cluster.on('error', () => {});
  const where = nodes.map((n) => `${n.host}:${n.port}`).join(',');
  try {
    await cluster.connect();
  } catch (error) {
    cluster.disconnect();
    throw new Error(`cannot connect to the Redis Cluster at ${where}: ${(error as Error).message}`);
  }
  const store = new RedisItemStore(cluster);
  await store.registerCaches(caches);
  return store;
}

/** Hides a password in a Redis URL. */
const redactUrl = (url: string): string => url.replace(/\/\/([^@/]*)@/, '//***@');
