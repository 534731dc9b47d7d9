import { randomBytes } from 'node:crypto';
import { RecordingStore, useLocalServer } from '@momento-http/test-kit';
import { describe, expect, it } from 'vitest';
import { createIsrHandler } from '../src/isr';
import { appPage, connectionRefused, pageCtx, pageSetCtx, tick } from './support';

const local = useLocalServer({ clientOptions: { timeoutMs: 2000, retries: 0 } });

/**
 * Two "instances": separate handler classes over one cache, each with a client of its own (the
 * handlers of one process over one client share their tag states, as two processes never do).
 */
function twoInstances(extra: Parameters<typeof createIsrHandler>[0] = {}) {
  const store = new RecordingStore(local.store());
  const namespace = `t${Math.random().toString(36).slice(2)}|`;
  const A = createIsrHandler({ store, namespace, keyPrefix: 'build-1', ...extra });
  const B = createIsrHandler({
    store: new RecordingStore(local.store()),
    namespace,
    keyPrefix: 'build-1',
    ...extra,
  });
  return { a: new A(), b: new B(), store, namespace };
}

describe('ISR cacheHandler over the local server', () => {
  it("round-trips an APP_PAGE bit-exactly across instances without mutating Next's object", async () => {
    const { a, b } = twoInstances();
    const page = appPage();
    const before = appPage();
    await a.set('/isr/a', page, pageSetCtx(60, 3600));
    expect(page).toEqual(before);
    const hit = await b.get('/isr/a', pageCtx);
    expect(hit?.value).toEqual(before);
    const value = hit!.value as unknown as ReturnType<typeof appPage>;
    expect(Buffer.isBuffer(value.rscData)).toBe(true);
    expect(value.segmentData).toBeInstanceOf(Map);
    expect(Buffer.isBuffer(value.segmentData.get('/_tree'))).toBe(true);
    expect(hit?.cacheControl).toEqual({ revalidate: 60, expire: 3600 });
    expect(Date.now() - hit!.lastModified).toBeLessThan(5000);
  });

  it('round-trips APP_ROUTE bytes, PAGES, REDIRECT, IMAGE and a null (notFound) value', async () => {
    const { a, b } = twoInstances();
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const values = {
      '/route': {
        kind: 'APP_ROUTE',
        body: bytes,
        status: 200,
        headers: { 'x-next-cache-tags': 'r' },
      },
      '/pages': {
        kind: 'PAGES',
        html: '<p>x</p>',
        pageData: { a: [1, { b: null }] },
        status: 200,
        headers: undefined,
      },
      '/redirect': { kind: 'REDIRECT', props: { __N_REDIRECT: '/x', __N_REDIRECT_STATUS: 307 } },
      '/image': {
        kind: 'IMAGE',
        etag: 'e',
        upstreamEtag: 'u',
        buffer: bytes,
        extension: 'webp',
        revalidate: 60,
      },
    } as const;
    for (const [key, value] of Object.entries(values)) {
      await a.set(key, value, { kind: value.kind, cacheControl: { revalidate: 60, expire: 600 } });
      expect((await b.get(key, { kind: value.kind }))?.value).toEqual(value);
    }
    await a.set('/missing', null, pageSetCtx());
    const notFound = await b.get('/missing', pageCtx);
    expect(notFound).not.toBeNull();
    expect(notFound?.value).toBeNull();
  });

  it('serves a page stale once after revalidateTag(tag, max) on another instance, and misses after expire: 0', async () => {
    const { a, b } = twoInstances();
    await a.set('/isr/a', appPage(), pageSetCtx(60));
    await tick();
    await a.revalidateTag(['isr'], { expire: 31_536_000 });
    const stale = await b.get('/isr/a', pageCtx);
    expect(stale?.value).toEqual(appPage());
    // Backdated past revalidate: Next serves it (STALE) and regenerates in the background.
    expect(stale!.lastModified).toBeLessThan(Date.now() - 60_000);
    await tick();
    await b.set('/isr/a', appPage('<html>new</html>'), pageSetCtx(60));
    const fresh = await a.get('/isr/a', pageCtx);
    await tick();
    expect(fresh?.value).toMatchObject({ html: '<html>new</html>' });
    expect(Date.now() - fresh!.lastModified).toBeLessThan(5000);

    await b.revalidateTag('isr', { expire: 0 });
    expect(await a.get('/isr/a', pageCtx)).toBeNull();
  });

  it('expires at once for revalidatePath (implicit tag, no durations)', async () => {
    const { a, b } = twoInstances();
    await a.set('/isr/a', appPage(), pageSetCtx());
    await tick();
    await b.revalidateTag(['_N_T_/isr/a']);
    expect(await a.get('/isr/a', pageCtx)).toBeNull();
    expect(await b.get('/isr/a', pageCtx)).toBeNull();
  });

  it('checks fetch tags and soft tags on FETCH reads (unstable_cache included)', async () => {
    const { a, b } = twoInstances();
    const data = {
      kind: 'FETCH',
      data: { headers: {}, body: 'e30=', url: 'http://o/data', status: 200 },
      revalidate: 0xfffffffe,
    };
    const soft = ['_N_T_/layout', '_N_T_/api/data'];
    await a.set('f'.repeat(64), data, {
      fetchCache: true,
      tags: ['origin'],
      fetchUrl: 'http://o/data',
    });
    expect(
      (await b.get('f'.repeat(64), { kind: 'FETCH', tags: ['origin'], softTags: soft }))?.value,
    ).toEqual(data);
    await tick();
    await a.revalidateTag(['_N_T_/api/data']);
    expect(
      await b.get('f'.repeat(64), { kind: 'FETCH', tags: ['origin'], softTags: soft }),
    ).toBeNull();

    await a.set('g'.repeat(64), data, { fetchCache: true, tags: ['origin'] });
    await tick();
    await b.revalidateTag(['origin']);
    expect(
      await a.get('g'.repeat(64), { kind: 'FETCH', tags: ['origin'], softTags: [] }),
    ).toBeNull();
  });

  it('namespaces pages by build id but shares fetch entries and tags across builds', async () => {
    const store = new RecordingStore(local.store());
    const namespace = `t${Math.random().toString(36).slice(2)}|`;
    const Old = createIsrHandler({ store, namespace, keyPrefix: 'build-1' });
    const New = createIsrHandler({ store, namespace, keyPrefix: 'build-2' });
    const fetchValue = { kind: 'FETCH', data: { headers: {}, body: '', url: 'u' }, revalidate: 60 };
    await new Old().set('/p', appPage(), pageSetCtx());
    await new Old().set('h'.repeat(64), fetchValue, { fetchCache: true, tags: ['t'] });
    expect(await new New().get('/p', pageCtx)).toBeNull();
    expect((await new New().get('h'.repeat(64), { kind: 'FETCH', tags: ['t'] }))?.value).toEqual(
      fetchValue,
    );
    await tick();
    await new New().revalidateTag('t');
    expect(await new Old().get('h'.repeat(64), { kind: 'FETCH', tags: ['t'] })).toBeNull();
  });

  it('takes the TTL from expire (not revalidate), clamped to 24 h, and hashes long keys', async () => {
    const { a, store } = twoInstances();
    await a.set('/short', appPage(), pageSetCtx(1, 120));
    await a.set('/forever', appPage(), pageSetCtx(1, 31_536_000));
    await a.set(
      `/${'x'.repeat(1100)}`, // longer than core's MAX_PLAIN_KEY_BYTES
      appPage(),
      pageSetCtx(false as unknown as number, undefined),
    );
    const rec = store;
    expect(rec.sets.map((s) => s.ttlSeconds)).toEqual([120, 86_400, 86_400]);
    expect(rec.sets[2]!.key.length).toBeLessThan(200);
    await a.revalidateTag('any');
    expect(rec.sets.at(-1)).toMatchObject({ ttlSeconds: 86_400 });
  });

  it('stores an entry over the item limit (compressed, then chunked) and reads it back whole', async () => {
    const { a, b } = twoInstances();
    // Incompressible: gzip cannot bring it under 5 MB, so it must be chunked.
    const html = randomBytes(3_200_000).toString('base64');
    const page = { ...appPage(html), rscData: Buffer.from(html) };
    await a.set('/big', page, pageSetCtx());
    const hit = await b.get('/big', pageCtx);
    expect((hit!.value as unknown as { html: string }).html === html).toBe(true);
    expect((hit!.value as unknown as { rscData: Buffer }).rscData.equals(Buffer.from(html))).toBe(
      true,
    );
  });

  it('makes a read wait for a write of the same key in flight', async () => {
    const { a } = twoInstances();
    const write = a.set('/w', appPage('<html>w</html>'), pageSetCtx());
    const read = a.get('/w', pageCtx);
    await write;
    expect((await read)?.value).toMatchObject({ html: '<html>w</html>' });
  });
});

describe('ISR cacheHandler failures', () => {
  it('turns a hanging cache into a miss within the read deadline and never rejects a write', async () => {
    const errors: string[] = [];
    const { a, store } = twoInstances({
      getTimeoutMs: 100,
      setTimeoutMs: 100,
      onError: (_e, op) => errors.push(op),
    });
    store.rule({ hang: true });
    const started = Date.now();
    expect(await a.get('/x', pageCtx)).toBeNull();
    // The store hangs forever: any bound tells "gave up" from "waited"; this one leaves room for load.
    expect(Date.now() - started).toBeLessThan(5_000);
    store.clearRules();
    store.rule({ fail: connectionRefused });
    await expect(a.set('/x', appPage(), pageSetCtx())).resolves.toBeUndefined();
    expect(errors).toContain('get');
  });

  it('rejects revalidateTag when the revalidation cannot be recorded', async () => {
    const { a, store } = twoInstances();
    store.rule({ fail: connectionRefused });
    await expect(a.revalidateTag(['isr'])).rejects.toThrow(/connection refused/);
  });

  it('stays quiet and answers misses without credentials (next build offline)', async () => {
    const env = { ...process.env };
    delete process.env.MOMENTO_API_KEY;
    delete process.env.MOMENTO_ENDPOINT;
    try {
      const errors: unknown[] = [];
      const Handler = createIsrHandler({ onError: (e) => errors.push(e) });
      const h = new Handler({ serverDistDir: '/nonexistent/.next/server' });
      expect(await h.get('/x', pageCtx)).toBeNull();
      await expect(h.set('/x', appPage(), pageSetCtx())).resolves.toBeUndefined();
      await expect(h.revalidateTag('t')).rejects.toThrow();
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      process.env = env;
    }
  });
});
