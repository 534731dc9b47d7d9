/** Next pages in a shared tag namespace are purged by a purge made outside Next (core's purgeTags). */
import { purgeTags } from '@momento-http/core';
import { useFaultProxy, useLocalServer } from '@momento-http/test-kit';
import { describe, expect, it } from 'vitest';
import type { UseCacheEntry } from '../src/use-cache';
import { freshNamespace, proxiedProcess } from './proxied';
import { appPage, pageCtx, pageSetCtx } from './support';

const local = useLocalServer({ clientOptions: { timeoutMs: 5000, retries: 0 } });
const proxy = useFaultProxy(local);

const entry = (): UseCacheEntry => ({
  value: new Response('v').body!,
  tags: ['product:1'],
  stale: 300,
  timestamp: Date.now(),
  expire: 3600,
  revalidate: 900,
});

describe('tagNamespace', { timeout: 30_000 }, () => {
  it('a purge of the namespace reaches pages and use-cache entries; without it Next keeps its own', async () => {
    const tagNamespace = `t${Math.random().toString(36).slice(2)}`;
    const shared = { namespace: freshNamespace(), tagNamespace };
    const own = { namespace: freshNamespace() };
    for (const options of [shared, own]) {
      const writer = proxiedProcess(local, proxy, options);
      await writer.isr.set('/p', appPage('<html>p</html>', 'product:1'), pageSetCtx());
      await writer.useCache.set('k', Promise.resolve(entry()));
    }
    await purgeTags({ store: local.store(), tagNamespace }, ['product:1']);

    const reader = proxiedProcess(local, proxy, shared);
    expect(await reader.isr.get('/p', pageCtx)).toBeNull();
    expect(await reader.useCache.get('k', [])).toBeUndefined();
    const untouched = proxiedProcess(local, proxy, own);
    expect((await untouched.isr.get('/p', pageCtx))?.value).toBeDefined();
    expect(await untouched.useCache.get('k', [])).toBeDefined();
  });
});
