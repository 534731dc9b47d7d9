// cache-manager 7 on createKeyv() when the application has Keyv 6 installed (issue 17, point 2):
// `keyv` resolves to Keyv 6.1 in this file, as it does in such an application.
import { eventually, useLocalServer } from '@momento-http/test-kit';
import { createCache } from 'cache-manager';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createKeyv } from '../src/index';
import { uniqueNamespace } from './helpers';

vi.mock('keyv', async () => import('keyv6'));

const local = useLocalServer();

afterEach(() => {
  vi.useRealTimers();
});

/** cache-manager on createKeyv(), as the README's quick start builds it. */
const cacheOnCreateKeyv = (nearCache = false) =>
  createCache({
    stores: [createKeyv({ client: local.client(), namespace: uniqueNamespace(), nearCache })],
  });

describe('cache-manager 7 on createKeyv() under Keyv 6', () => {
  it('createKeyv() builds a Keyv 6 instance here', async () => {
    const { Keyv: Keyv6 } = await import('keyv6');
    expect(createKeyv({ client: local.client() })).toBeInstanceOf(Keyv6);
  });

  it('wrap runs the function once, and ttl() gives the expiry', async () => {
    const cache = createCache({
      stores: [createKeyv({ client: local.client(), namespace: uniqueNamespace() })],
    });
    let calls = 0;
    const answer = async () => 41 + ++calls;
    expect(await cache.wrap('answer', answer, 60_000)).toBe(42);
    expect(await cache.wrap('answer', answer, 60_000)).toBe(42);
    expect(calls).toBe(1);
    expect(await cache.ttl('answer')).toBeGreaterThan(Date.now() + 55_000);
  });

  it('get / set / del / mget and clear()', async () => {
    const cache = createCache({
      stores: [createKeyv({ client: local.client(), namespace: uniqueNamespace() })],
    });
    await cache.set('a', { n: 1 }, 60_000);
    expect(await cache.get('a')).toEqual({ n: 1 });
    expect(await cache.mget(['a', 'missing'])).toEqual([{ n: 1 }, undefined]);
    expect(await cache.del('a')).toBe(true);
    expect(await cache.get('a')).toBeUndefined();
    await cache.set('b', 2);
    await cache.clear();
    expect(await cache.get('b')).toBeUndefined();
  });

  it('mset / mget / mdel, as the README lists them', async () => {
    const cache = cacheOnCreateKeyv();
    await cache.mset([
      { key: 'a', value: { n: 1 }, ttl: 60_000 },
      { key: 'b', value: { n: 2 } },
    ]);
    expect(await cache.mget(['a', 'b'])).toEqual([{ n: 1 }, { n: 2 }]);
    expect(await cache.ttl('a')).toBeGreaterThan(Date.now() + 55_000);
    await cache.mdel(['a', 'b']);
    expect(await cache.mget(['a', 'b'])).toEqual([undefined, undefined]);
  });

  for (const nearCache of [false, true]) {
    it(`wrap with refreshThreshold serves the value, then the refreshed one (near cache ${nearCache ? 'on' : 'off'})`, async () => {
      const cache = cacheOnCreateKeyv(nearCache);
      expect(await cache.wrap('key', async () => 0, 10_000, 3_000)).toBe(0);
      expect(await cache.wrap('key', async () => 9, 10_000, 3_000)).toBe(0); // fresh: no call
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 8_000); // 2 s left: under the refresh threshold
      expect(await cache.wrap('key', async () => 1, 10_000, 3_000)).toBe(0); // refreshing
      await eventually(async () => (await cache.get('key')) === 1, { what: 'the refresh' });
      expect(await cache.ttl('key')).toBeGreaterThan(Date.now() + 9_000);
      await cache.disconnect(); // ends the near cache's coherence subscription
    });
  }
});

describe("TTLs of 0 or less under Keyv 6 (the README's table)", () => {
  it('Keyv 6 turns 0 and -1 into "no TTL" before the store sees them: the value is kept', async () => {
    const keyv = createKeyv({ client: local.client(), namespace: uniqueNamespace() });
    await keyv.set('zero', 'v', 0);
    await keyv.set('negative', 'v', -1);
    expect(await keyv.getMany(['zero', 'negative'])).toEqual(['v', 'v']);
  });
});
