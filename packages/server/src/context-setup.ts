import { Authenticator } from './auth/keys.js';
import { FaultInjector } from './faults.js';
import { Metrics } from './metrics.js';
import type { ResolvedOptions } from './options.js';
import { ControlPlane } from './protocol/control-plane-state.js';
import type { Context } from './protocol/server-context.js';
import { TokenBucket } from './rate-limit.js';
import { loadSecret } from './secret.js';
import { MemoryItemStore } from './storage/memory.js';
import { DirectoryObjectBodies, MemoryObjectBodies } from './storage/objects.js';
import type { ItemStore } from './storage/types.js';
import { MemoryTopicStore } from './topics/memory.js';
import type { TopicStore } from './topics/types.js';

/** Builds the shared state of one server: secret, storage, control plane, metrics, faults. */
export async function createContext(options: ResolvedOptions): Promise<Context> {
  const secret = await loadSecret(options.signingSecret, options.dataDir);
  const control = new ControlPlane(options.dataDir, options.clusterActivationMs);
  await control.load();
  let items: ItemStore;
  let topics: TopicStore = new MemoryTopicStore(options.topicBufferMessages);
  if (options.redisCluster) {
    const { connectRedisCluster } = await import('./storage/redis.js');
    items = await connectRedisCluster(options.redisCluster, options.caches);
    topics = await redisTopics(items, options);
  } else if (options.redisUrl) {
    const { connectRedis } = await import('./storage/redis.js');
    items = await connectRedis(options.redisUrl, options.caches);
    topics = await redisTopics(items, options);
  } else {
    items = new MemoryItemStore(options.maxMemoryBytes);
  }
  return {
    options,
    auth: new Authenticator(secret, options.devKey),
    items,
    caches: new Set(options.caches),
    metrics: new Metrics(),
    faults: new FaultInjector(),
    rate: options.rateLimit
      ? new TokenBucket(options.rateLimit.opsPerSecond, options.rateLimit.burst)
      : undefined,
    control,
    shutdown: new AbortController(),
    topics,
    objects: options.dataDir
      ? new DirectoryObjectBodies(options.dataDir)
      : new MemoryObjectBodies(),
  };
}

/** Topics in the same Redis as the items, so every process over it shares them. */
async function redisTopics(items: ItemStore, options: ResolvedOptions): Promise<TopicStore> {
  const { RedisItemStore } = await import('./storage/redis.js');
  const { RedisTopicStore } = await import('./topics/redis.js');
  if (!(items instanceof RedisItemStore)) throw new Error('Redis mode without a Redis item store');
  return new RedisTopicStore(items.client, options.topicBufferMessages);
}

/** Releases storage connections and timers. */
export async function closeContext(ctx: Context): Promise<void> {
  ctx.shutdown.abort();
  await ctx.control.close();
  await ctx.topics.close();
  await ctx.items.close();
}
