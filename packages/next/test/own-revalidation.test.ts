/**
 * Read-your-writes within one process, for tags and values, with and without the near cache:
 * Next's own handler records a revalidation in memory at once, so an instance must never serve
 * what it has just revalidated, even while the tag write is still on its way (issue 12, bug 6).
 */
import { useFaultProxy, useLocalServer } from '@momento-http/test-kit';
import { describe, expect, it } from 'vitest';
import type { UseCacheEntry } from '../src/use-cache';
import { exactly, freshNamespace, proxiedProcess } from './proxied';
import { appPage, pageCtx, pageSetCtx, tick } from './support';

const local = useLocalServer({ clientOptions: { timeoutMs: 5000, retries: 0 } });
const proxy = useFaultProxy(local);

const useCacheEntry = (text: string, tags = ['uc']): UseCacheEntry => ({
  value: new Response(text).body!,
  tags,
  stale: 300,
  timestamp: Date.now(),
  expire: 3600,
  revalidate: 900,
});
const text = async (entry: UseCacheEntry | undefined) => entry && new Response(entry.value).text();

describe.each([
  ['without the near cache', false],
  ['with the near cache', true],
])('one process %s', { timeout: 30_000 }, (_, nearCache) => {
  it('sees its own revalidateTag(tag, { expire: 0 }) while the tag PUT is delayed', async () => {
    const namespace = freshNamespace();
    const next = proxiedProcess(local, proxy, { namespace, nearCache });
    await next.isr.set('/isr/a', appPage(), pageSetCtx());
    await next.useCache.set('k', Promise.resolve(useCacheEntry('v1')));
    expect((await next.isr.get('/isr/a', pageCtx))?.value).toEqual(appPage());
    expect(await text(await next.useCache.get('k', []))).toBe('v1');
    await tick();
    const slowTagPut = proxy.add({
      method: 'PUT',
      key: exactly(`${namespace}tag|`, ''),
      delayMs: 300,
    });
    try {
      // As Next does: the revalidation is recorded (not awaited) and the next request comes in.
      const isrDone = next.isr.revalidateTag('isr', { expire: 0 });
      const ucDone = next.useCache.updateTags(['uc'], { expire: 0 });
      let landed = false;
      void Promise.all([isrDone, ucDone]).then(() => {
        landed = true;
      });
      expect(await next.isr.get('/isr/a', pageCtx)).toBeNull();
      expect(await next.useCache.get('k', [])).toBeUndefined();
      expect(landed).toBe(false); // the tag writes had not landed yet
      expect(slowTagPut.hits).toBeGreaterThan(0);
      await Promise.all([isrDone, ucDone]);
    } finally {
      slowTagPut.remove();
    }
    expect(next.errors).toEqual([]);
  });

  it('sees its own writes while their PUTs are delayed', async () => {
    const namespace = freshNamespace();
    const next = proxiedProcess(local, proxy, { namespace, nearCache });
    await next.isr.set('/isr/a', appPage('<html>v1</html>'), pageSetCtx());
    await next.isr.get('/isr/a', pageCtx);
    const slowPut = proxy.add({ method: 'PUT', delayMs: 300 });
    try {
      const writing = next.isr.set('/isr/a', appPage('<html>v2</html>'), pageSetCtx());
      const ucWriting = next.useCache.set('k', Promise.resolve(useCacheEntry('v2')));
      expect((await next.isr.get('/isr/a', pageCtx))?.value).toMatchObject({
        html: '<html>v2</html>',
      });
      expect(await text(await next.useCache.get('k', []))).toBe('v2');
      expect(slowPut.hits).toBeGreaterThan(0);
      await Promise.all([writing, ucWriting]);
    } finally {
      slowPut.remove();
    }
  });
});

describe('both handler kinds of one process share one tag store', { timeout: 30_000 }, () => {
  it('writes each revalidated tag once (one GET, one PUT) however many handlers Next calls', async () => {
    const namespace = freshNamespace();
    const next = proxiedProcess(local, proxy, { namespace });
    await next.isr.set('/isr/a', appPage('<html>p</html>', 'a'), pageSetCtx());
    await next.useCache.set('k', Promise.resolve(useCacheEntry('v', ['b'])));
    await tick();
    proxy.forget();
    const tagKeys = exactly(`${namespace}tag|`, '');
    // What Next 16 does for one revalidateTag: every cacheHandlers kind (default and remote are
    // the same object here), then the cacheHandler, in one loop.
    await Promise.all([
      next.useCache.updateTags(['a', 'b']),
      next.useCache.updateTags(['a', 'b']),
      next.isr.revalidateTag(['a', 'b']),
    ]);
    expect(proxy.count({ method: 'GET', key: tagKeys })).toBe(2);
    expect(proxy.count({ method: 'PUT', key: tagKeys })).toBe(2);
    expect(await next.isr.get('/isr/a', pageCtx)).toBeNull();
    expect(await next.useCache.get('k', [])).toBeUndefined();
  });

  it('another process still sees the revalidation made by either kind', async () => {
    const namespace = freshNamespace();
    const writer = proxiedProcess(local, proxy, { namespace });
    await writer.isr.set('/isr/a', appPage('<html>p</html>', 'uc-tag'), pageSetCtx());
    await tick();
    // A page embeds the cacheTag() tags of its 'use cache' entries: updateTags must reach it.
    await proxiedProcess(local, proxy, { namespace }).useCache.updateTags(['uc-tag']);
    expect(await writer.isr.get('/isr/a', pageCtx)).toBeNull();
  });
});
