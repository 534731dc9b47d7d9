/**
 * Under Node, Next loads the built handlers, which import core's node entry (undici transport);
 * its `resolveCacheTarget` takes no client factory. Creating a handler must still never create a
 * client: `next build` imports the handlers without credentials.
 */
import { describe, expect, it, vi } from 'vitest';

vi.mock('@momento-http/core', async () => await import('@momento-http/core/node'));

describe('handlers over core’s node entry', { timeout: 30_000 }, () => {
  it('are created without credentials and answer misses, reporting why', async () => {
    // Resolved first: vitest deadlocks when the factory runs inside the handlers' import graph.
    await import('@momento-http/core');
    const { createIsrHandler } = await import('../src/isr');
    const { createUseCacheHandler } = await import('../src/use-cache');
    const env = { ...process.env };
    delete process.env.MOMENTO_API_KEY;
    delete process.env.MOMENTO_ENDPOINT;
    try {
      const errors: string[] = [];
      const onError = (_: unknown, operation: string) => errors.push(operation);
      const Isr = createIsrHandler({ onError, cacheName: 'next' });
      const useCache = createUseCacheHandler({ onError });
      expect(await new Isr().get('/x', { kind: 'APP_PAGE' })).toBeNull();
      expect(await useCache.get('k', [])).toBeUndefined();
      expect(errors).toContain('configure');
    } finally {
      process.env = env;
    }
  });
});
