/** resolveCacheTarget against the real local server, configured only through the environment. */

import { useLocalServer } from '@momento-http/test-kit';
import { describe, expect, it } from 'vitest';
import { resolveCacheTarget as resolveDefault } from '../../src/index';
import { resolveCacheTarget as resolveNode } from '../../src/node';

const t = useLocalServer({ caches: ['default-cache', 'from-env'] });

describe.each([
  ['default entry (fetch)', resolveDefault],
  ['node entry (undici)', resolveNode],
])('resolveCacheTarget, %s', (_, resolve) => {
  it('reaches the cache named by MOMENTO_CACHE_NAME with MOMENTO_API_KEY / MOMENTO_ENDPOINT', async () => {
    const env = {
      MOMENTO_API_KEY: t.server.createApiKey(),
      MOMENTO_ENDPOINT: t.server.url,
      MOMENTO_CACHE_NAME: 'from-env',
    };
    const { store, cacheName } = resolve({}, env);
    expect(cacheName).toBe('from-env');
    await store.set('k', 'v', { ttlSeconds: 60 });
    expect(new TextDecoder().decode(await t.client().cache('from-env').get('k'))).toBe('v');
    expect(await t.client().cache('default-cache').get('k')).toBeUndefined();
  });
});
