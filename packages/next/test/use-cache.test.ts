import { RecordingStore, useLocalServer } from '@momento-http/test-kit';
import { describe, expect, it } from 'vitest';
import { createUseCacheHandler, type UseCacheEntry } from '../src/use-cache';
import { connectionRefused, tick } from './support';

const local = useLocalServer({ clientOptions: { timeoutMs: 2000, retries: 0 } });

const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) % 256);

function entry(
  overrides: Partial<Omit<UseCacheEntry, 'value'>> = {},
  value = bytes,
): UseCacheEntry {
  return {
    value: new ReadableStream({
      start(c) {
        c.enqueue(value.slice(0, 100));
        c.enqueue(value.slice(100));
        c.close();
      },
    }),
    tags: ['uc'],
    stale: 300,
    timestamp: Date.now(),
    expire: 3600,
    revalidate: 900,
    ...overrides,
  };
}

async function read(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function twoInstances(extra: Parameters<typeof createUseCacheHandler>[0] = {}) {
  const store = new RecordingStore(local.store());
  const namespace = `u${Math.random().toString(36).slice(2)}|`;
  return {
    a: createUseCacheHandler({ store, namespace, ...extra }),
    // A client of its own: a second process (one process's handlers share their tag states).
    b: createUseCacheHandler({ store: new RecordingStore(local.store()), namespace, ...extra }),
    store,
  };
}

const soft = ['_N_T_/layout', '_N_T_/uc/page', '_N_T_/uc'];

describe("'use cache' handler over the local server", () => {
  it('round-trips the stream bit-exactly and returns a new stream from every get', async () => {
    const { a, b } = twoInstances();
    await a.set('["build",["k"],[]]', Promise.resolve(entry()));
    const first = await b.get('["build",["k"],[]]', soft);
    const second = await b.get('["build",["k"],[]]', soft);
    expect(first?.value).not.toBe(second?.value);
    expect(await read(first!.value)).toEqual(bytes);
    expect(await read(second!.value)).toEqual(bytes);
    expect(first).toMatchObject({ tags: ['uc'], stale: 300, expire: 3600, revalidate: 900 });
  });

  it('makes a get wait for the pending set of the same key', async () => {
    const { a } = twoInstances();
    let resolve!: (e: UseCacheEntry) => void;
    const setting = a.set('k', new Promise((r) => (resolve = r)));
    const getting = a.get('k', soft);
    resolve(entry());
    await setting;
    expect(await read((await getting)!.value)).toEqual(bytes);
  });

  it('does not store expire: 0 entries and takes the TTL from expire, clamped to 24 h', async () => {
    const { a, store } = twoInstances();
    await a.set('zero', Promise.resolve(entry({ expire: 0 })));
    expect(await a.get('zero', soft)).toBeUndefined();
    await a.set('long', Promise.resolve(entry({ expire: 0xfffffffe })));
    await a.set('short', Promise.resolve(entry({ expire: 120 })));
    expect(store.sets.map((s) => s.ttlSeconds)).toEqual([86_400, 120]);
  });

  it('marks an entry stale (revalidate -1) on updateTags with durations and misses on expiry (16 API)', async () => {
    const { a, b } = twoInstances();
    await a.set('k', Promise.resolve(entry()));
    await tick();
    await b.updateTags(['uc'], { expire: 31_536_000 });
    expect((await a.get('k', soft))?.revalidate).toBe(-1);
    await b.updateTags(['uc']);
    expect(await a.get('k', soft)).toBeUndefined();
  });

  it('checks the implicit (soft) tags inside get, so getExpiration answers Infinity', async () => {
    const { a, b } = twoInstances();
    await a.set('k', Promise.resolve(entry()));
    expect(await a.getExpiration(soft)).toBe(Number.POSITIVE_INFINITY);
    await tick();
    await b.updateTags(['_N_T_/uc'], { expire: 0 });
    expect(await a.get('k', soft)).toBeUndefined();
  });

  it('supports the 15.x variadic getExpiration and expireTags', async () => {
    const { a, b } = twoInstances();
    await a.set('k', Promise.resolve(entry()));
    expect(await a.getExpiration('_N_T_/layout', '_N_T_/uc')).toBe(Number.POSITIVE_INFINITY);
    await tick();
    await b.expireTags('other', 'uc');
    expect(await a.get('k', soft)).toBeUndefined();
  });

  it('drops entries past expire', async () => {
    const { a } = twoInstances();
    await a.set('old', Promise.resolve(entry({ timestamp: Date.now() - 10_000, expire: 5 })));
    expect(await a.get('old', soft)).toBeUndefined();
  });

  it('never rejects set (not even for a failing stream) and throws from a failing updateTags', async () => {
    const { a, store } = twoInstances({ getTimeoutMs: 100 });
    const broken = entry();
    broken.value = new ReadableStream({
      pull(c) {
        c.error(new Error('render failed'));
      },
    });
    await expect(a.set('b', Promise.resolve(broken))).resolves.toBeUndefined();
    await expect(a.set('r', Promise.reject(new Error('render failed')))).resolves.toBeUndefined();
    store.rule({ fail: connectionRefused });
    await expect(a.updateTags(['uc'])).rejects.toThrow(/connection refused/);
    store.clearRules();
    store.rule({ hang: true });
    expect(await a.get('k', soft)).toBeUndefined();
  });
});

describe("'use cache' handler with the near cache", () => {
  it('serves hits from memory as new streams over their own bytes, and sees its own updateTags at once', async () => {
    const { a, store } = twoInstances({ nearCache: true });
    await a.set('k', Promise.resolve(entry()));
    await a.get('k', soft);
    store.rule({ fail: connectionRefused });
    const first = await a.get('k', soft);
    const chunk = (await first!.value.getReader().read()).value!;
    chunk.fill(0); // what a consumer does to its chunk never reaches the next reader
    const second = await a.get('k', soft);
    expect(await read(second!.value)).toEqual(bytes);
    store.clearRules();
    await tick();
    await a.updateTags(['uc']);
    expect(await a.get('k', soft)).toBeUndefined();
  });
});
