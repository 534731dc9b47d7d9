import { RecordingStore, useLocalServer } from '@momento-http/test-kit';
import { describe, expect, it, vi } from 'vitest';
import { createIsrHandler } from '../src/isr';
import { appPage, connectionRefused, pageCtx, pageSetCtx, tick } from './support';

const local = useLocalServer({ clientOptions: { timeoutMs: 2000, retries: 0 } });

/** Instance A with the near cache on a clock the test moves; instance B without one. */
function instances(near: { maxBytes?: number } = {}) {
  const store = new RecordingStore(local.store());
  const clock = { now: 0 };
  const namespace = `n${Math.random().toString(36).slice(2)}|`;
  const errors: unknown[] = [];
  const shared = {
    store,
    namespace,
    keyPrefix: 'build-1',
    onError: (e: unknown) => errors.push(e),
  };
  const A = createIsrHandler({
    ...shared,
    nearCache: { ttlMs: 1000, now: () => clock.now, ...near },
  });
  // A client of its own: a second process (one process's handlers share their tag states).
  const B = createIsrHandler({ ...shared, store: new RecordingStore(local.store()) });
  return { a: new A(), b: new B(), store, clock, errors };
}

describe('ISR cacheHandler with the near cache', () => {
  it('serves repeated hits from memory yet sees its own revalidation at once', async () => {
    const { a, store, errors } = instances();
    await a.set('/n', appPage(), pageSetCtx());
    expect((await a.get('/n', pageCtx))?.value).toEqual(appPage());
    store.rule({ fail: connectionRefused });
    // Entry and tag states come from the near cache: no network read fails.
    expect((await a.get('/n', pageCtx))?.value).toEqual(appPage());
    expect(errors).toEqual([]);
    store.clearRules();
    await tick();
    await a.revalidateTag(['isr']);
    expect(await a.get('/n', pageCtx)).toBeNull();
  });

  it('answers a near hit with no timer and no decode', async () => {
    const { a, store } = instances();
    await a.set('/n', appPage(), pageSetCtx());
    const first = (await a.get('/n', pageCtx))!.value as unknown as ReturnType<typeof appPage>;
    const reads = store.gets.length;
    const timers = vi.spyOn(globalThis, 'setTimeout');
    try {
      const hit = (await a.get('/n', pageCtx))!.value as unknown as ReturnType<typeof appPage>;
      expect(timers).not.toHaveBeenCalled();
      // The same bytes as before: nothing was decoded (a decode makes new Buffers).
      expect(hit.rscData).toBe(first.rscData);
      expect(store.gets).toHaveLength(reads);
    } finally {
      timers.mockRestore();
    }
  });

  it('hands every hit its own objects around shared bytes, so what Next does to one never reaches the next', async () => {
    const { a } = instances();
    await a.set('/n', appPage(), pageSetCtx());
    await a.get('/n', pageCtx);
    const first = (await a.get('/n', pageCtx))!.value as unknown as ReturnType<typeof appPage>;
    first.headers['x-next-cache-tags'] = 'changed';
    first.segmentData.delete('/_tree');
    first.html = 'changed';
    const second = (await a.get('/n', pageCtx))!.value as unknown as ReturnType<typeof appPage>;
    expect(second).toEqual(appPage());
    expect(second).not.toBe(first);
    expect(second.segmentData).not.toBe(first.segmentData);
  });

  it('never keeps the older value of a read that overlapped a write on this instance', async () => {
    const { a, store } = instances();
    await a.set('/n', appPage('<html>v1</html>'), pageSetCtx());
    const slowGets = store.rule({ method: 'get', at: 'response', delayMs: 150 });
    const slowRead = a.get('/n', pageCtx);
    await tick();
    slowGets();
    await a.set('/n', appPage('<html>v2</html>'), pageSetCtx());
    expect((await slowRead)?.value).toMatchObject({ html: '<html>v1</html>' });
    expect((await a.get('/n', pageCtx))?.value).toMatchObject({ html: '<html>v2</html>' });
  });

  it('never keeps a tag state read before its own revalidation finished', async () => {
    const { a, store } = instances();
    await a.set('/n', appPage(), pageSetCtx());
    await tick();
    const slowGets = store.rule({ method: 'get', at: 'response', delayMs: 150 });
    const slowRead = a.get('/n', pageCtx);
    await tick();
    slowGets();
    await a.revalidateTag(['isr']);
    await slowRead;
    expect(await a.get('/n', pageCtx)).toBeNull();
  });

  it("sees another instance's revalidation once its near copy of the tags expires, and then reads the new entry", async () => {
    const { a, b, clock } = instances();
    await a.set('/n', appPage('<html>v1</html>'), pageSetCtx());
    await a.set('/m', appPage(), pageSetCtx());
    await a.get('/m', pageCtx); // t=0: the tag states of both pages are held until t=1000
    clock.now = 500;
    await a.get('/n', pageCtx); // the entry of /n is held until t=1500
    await tick();
    await b.revalidateTag(['isr']);
    await tick();
    await b.set('/n', appPage('<html>v2</html>'), pageSetCtx());
    // Within the near TTL, A may still serve its copy: the documented bound.
    expect((await a.get('/n', pageCtx))?.value).toMatchObject({ html: '<html>v1</html>' });
    clock.now = 1100;
    // The held entry predates the revalidation; rather than a miss, the store's newer one is served.
    expect((await a.get('/n', pageCtx))?.value).toMatchObject({ html: '<html>v2</html>' });
  });

  it('counts an entry at its decoded size against maxBytes, not at its compressed size', async () => {
    const { a, store } = instances({ maxBytes: 1_000_000 });
    // 3 MB once decoded, a few KB stored (gzip): too big to hold.
    await a.set('/big', appPage('a'.repeat(1_500_000)), pageSetCtx());
    expect((await a.get('/big', pageCtx))?.value).toMatchObject({ kind: 'APP_PAGE' });
    store.rule({ fail: connectionRefused });
    expect(await a.get('/big', pageCtx)).toBeNull();
  });
});
