// Benchmark only (NEXT_CACHE_HANDLER=forte): @fortedigital/nextjs-cache-handler 3.3.0, the most
// used peer handler, over redis-server at REDIS_URL, set up as its README's production example
// (one client per process, redis-strings handler, no in-process LRU in front).
import { CacheHandler } from '@fortedigital/nextjs-cache-handler';
import createRedisHandler from '@fortedigital/nextjs-cache-handler/redis-strings';
import { createClient } from '@redis/client';

CacheHandler.onCreation(() => {
  globalThis.forteCacheConfig ??= (async () => {
    const client = createClient({ url: process.env.REDIS_URL });
    client.on('error', (error) => console.warn('redis error', error.message));
    await client.connect();
    return { handlers: [createRedisHandler({ client, keyPrefix: 'bench:' })] };
  })();
  return globalThis.forteCacheConfig;
});

export default CacheHandler;
