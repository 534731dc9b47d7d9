// cache-manager 7 on a createKeyv() store, against the local server.

import { useLocalServer } from '@momento-http/test-kit';
import { createCache } from 'cache-manager';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createKeyv } from '../src/index';
import { uniqueNamespace } from './helpers';

const local = useLocalServer();
const cacheOn = (namespace = uniqueNamespace()) =>
  createCache({ stores: [createKeyv({ client: local.client(), namespace })] });

afterEach(() => {
  vi.useRealTimers();
});

describe('cache-manager 7', () => {
  it('get / set / del with structured values and TTLs', async () => {
    const cache = cacheOn();
    const value = { id: 1, tags: ['a', 'b'], nested: { ok: true } };
    expect(await cache.set('user:1', value, 60_000)).toEqual(value);
    expect(await cache.get('user:1')).toEqual(value);
    const ttl = await cache.ttl('user:1');
    expect(ttl).toBeGreaterThan(Date.now() + 55_000); // the absolute deadline, from Keyv's envelope
    expect(await cache.del('user:1')).toBe(true);
    expect(await cache.get('user:1')).toBeUndefined();
  });

  it('mset / mget / mdel', async () => {
    const cache = cacheOn();
    await cache.mset<unknown>([
      { key: 'a', value: 1 },
      { key: 'b', value: 'two', ttl: 60_000 },
    ]);
    expect(await cache.mget(['a', 'missing', 'b'])).toEqual([1, undefined, 'two']);
    expect(await cache.mdel(['a', 'b'])).toBe(true);
    expect(await cache.mget(['a', 'b'])).toEqual([undefined, undefined]);
  });

  it('wrap runs the function once and serves the cached value afterwards', async () => {
    const cache = cacheOn();
    let calls = 0;
    const load = async () => ({ answer: 42, call: ++calls });
    const results = await Promise.all([1, 2, 3].map(() => cache.wrap('answer', load, 60_000)));
    expect(results).toEqual([1, 2, 3].map(() => ({ answer: 42, call: 1 })));
    expect(await cache.wrap('answer', load, 60_000)).toEqual({ answer: 42, call: 1 });
    expect(calls).toBe(1);
  });

  it('wrap with refreshThreshold refreshes in the background once the entry is close to expiry', async () => {
    const cache = cacheOn();
    let calls = 0;
    const load = async () => ++calls;
    expect(await cache.wrap('counter', load, 10_000, 3_000)).toBe(1);
    expect(await cache.wrap('counter', load, 10_000, 3_000)).toBe(1); // 10 s left: no refresh
    expect(calls).toBe(1);

    // Move Keyv's clock to 2 s before expiry (the server keeps the item; no real waiting).
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 8_000);
    const refreshed = new Promise<{ value: unknown; error?: unknown }>((resolve) =>
      cache.on('refresh', resolve),
    );
    expect(await cache.wrap('counter', load, 10_000, 3_000)).toBe(1); // stale value served at once
    expect(await refreshed).toEqual({ key: 'counter', value: 2 });
    expect(await cache.get('counter')).toBe(2);
    expect(calls).toBe(2);
  });

  it('clear() clears this cache namespace only', async () => {
    const mine = cacheOn();
    const theirs = cacheOn();
    await mine.set('k', 'mine');
    await theirs.set('k', 'theirs');
    await mine.clear();
    expect(await mine.get('k')).toBeUndefined();
    expect(await theirs.get('k')).toBe('theirs');
  });
});
