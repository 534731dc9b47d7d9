// The engine's promises, through the fault proxy: one deadline per operation, read-your-writes
// (cache-manager's refresh), errors that name the user's key once; and the stack's conformance.
import { createMemoryStore, MomentoError, TimeoutError } from '@momento-http/core';
import { cacheStoreConformance } from '@momento-http/core/testing';
import { useFaultProxy, useLocalServer } from '@momento-http/test-kit';
import { createCache } from 'cache-manager';
import Keyv from 'keyv';
import { Keyv as Keyv6 } from 'keyv6';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createKeyv, KeyvMomento, type KeyvMomentoOptions } from '../src/index';
import { normalizeOptions } from '../src/options';
import { buildStack } from '../src/stack';
import { uniqueNamespace } from './helpers';

const local = useLocalServer();
const proxy = useFaultProxy(local);
const TIMEOUT_MS = 500;

const through = (options: KeyvMomentoOptions = {}) =>
  new KeyvMomento({
    client: local.client({ baseUrl: proxy.url, retries: 0 }),
    namespace: uniqueNamespace(),
    timeoutMs: TIMEOUT_MS,
    ...options,
  });

afterEach(() => {
  proxy.clear();
  vi.useRealTimers();
});

describe('one deadline per operation', () => {
  it('getMany on a cache answering at 90 % of the timeout ends at the timeout, not after two reads', async () => {
    const namespace = uniqueNamespace();
    await through({ namespace }).set('other', 'v'); // the namespace's generation exists
    const store = through({ namespace }); // knows none: reads it, then the values
    const errors: unknown[] = [];
    store.on('error', (error) => errors.push(error));
    proxy.add({ method: 'GET', delayMs: TIMEOUT_MS * 0.9 });
    const started = performance.now();
    expect(await store.getMany(['a', 'b', 'c'])).toEqual([undefined, undefined, undefined]);
    // Two reads one after the other (generation, then values) take at least 1.8 timeouts; one
    // deadline ends at 1. The bound sits between, so a loaded machine's late timer is not a failure.
    expect(performance.now() - started).toBeLessThan(TIMEOUT_MS * 1.45);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(TimeoutError);
  });

  it('a get that also confirms the generation makes both requests at once, within the timeout', async () => {
    // A longer timeout: the 10 % left must absorb a loaded machine's request overhead.
    const timeoutMs = 3000;
    const store = through({ timeoutMs });
    await store.set('k', 'v'); // the generation is known now, not fresh (generationCacheMs 0)
    proxy.add({ method: 'GET', delayMs: timeoutMs * 0.9 });
    proxy.forget();
    const started = performance.now();
    expect(await store.get('k')).toBe('v');
    expect(performance.now() - started).toBeLessThan(timeoutMs + 100);
    expect(proxy.count({ method: 'GET' })).toBe(2); // the value and the generation, together
  });
});

describe('read-your-writes while the write is in flight', () => {
  for (const nearCache of [false, true]) {
    it(`a get after a set it did not await sees the set (near cache ${nearCache ? 'on' : 'off'})`, async () => {
      const store = through({ nearCache, timeoutMs: 5000 });
      await store.set('k', 'old');
      expect(await store.get('k')).toBe('old');
      proxy.add({ method: 'PUT', delayMs: 50 });
      const writing = store.set('k', 'new');
      expect(await store.get('k')).toBe('new');
      expect(await store.has('k')).toBe(true);
      const deleting = store.delete('k');
      expect(await store.get('k')).toBeUndefined();
      expect(await writing).toBe(true);
      expect(await deleting).toBe(true);
    });

    // cache-manager's own wrap test ("should allow dynamic refreshThreshold"), on this store.
    it(`cache-manager wrap serves the refreshed value next (near cache ${nearCache ? 'on' : 'off'})`, async () => {
      const cache = createCache({
        stores: [
          createKeyv({
            client: local.client({ baseUrl: proxy.url, retries: 0 }),
            namespace: uniqueNamespace(),
            nearCache,
          }),
        ],
      });
      proxy.add({ method: 'PUT', delayMs: 30 }); // the refresh write lands after the next read
      expect(await cache.wrap('key', async () => 0, 10_000, 3_000)).toBe(0);
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 8_000); // 2 s left: under the refresh threshold
      expect(await cache.wrap('key', async () => 1, 10_000, 3_000)).toBe(0); // stale, refreshing
      expect(await cache.wrap('key', async () => 2, 10_000, 3_000)).toBe(1);
      vi.setSystemTime(Date.now() + 8_000);
      expect(await cache.wrap('key', async () => 3, 10_000, 3_000)).toBe(1);
      expect(await cache.wrap('key', async () => 4, 10_000, 3_000)).toBe(3);
    });
  }
});

describe("'error' events", () => {
  it('name the user key, not the generation key, once per failed operation (Keyv 5 and 6)', async () => {
    proxy.add({ fault: { kind: 'status', status: 500 } });
    const store5 = through();
    const store6 = through();
    const keyv5 = new Keyv(store5, { useKeyPrefix: false });
    const keyv6 = new Keyv6({ store: store6 });
    for (const keyv of [keyv5, keyv6] as Array<Pick<Keyv, 'set' | 'on'>>) {
      const errors: unknown[] = [];
      keyv.on('error', (error: unknown) => errors.push(error));
      expect(await keyv.set('user:1', 'v')).toBe(false);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(MomentoError);
      expect(String(errors[0])).toContain('"user:1"');
      expect(String(errors[0])).not.toMatch(/__gen__|key_base64/);
    }
  });
});

describe('a key core cannot store (over 1 KB with a lone surrogate: no UTF-8 form to hash)', () => {
  it('is a reported miss with the near cache on, never a throw', async () => {
    const store = new KeyvMomento({ store: createMemoryStore(), nearCache: true });
    const errors: unknown[] = [];
    store.on('error', (error) => errors.push(error));
    await store.get('warm'); // the generation is fresh: the near cache is consulted first
    const key = `\uD800${'x'.repeat(2000)}`;
    await expect(store.get(key)).resolves.toBeUndefined();
    expect(await store.set(key, 'v')).toBe(false);
    expect(errors).toHaveLength(2);
  });
});

describe("TTLs of 0 or less (the README's table; Keyv 6 in keyv6-cache-manager.test.ts)", () => {
  it('through Keyv 5, 0 keeps the value for defaultTtlMs and -1 deletes', async () => {
    const keyv = createKeyv({ client: local.client(), namespace: uniqueNamespace() });
    await keyv.set('k', 'v', 0);
    expect(await keyv.get('k')).toBe('v');
    await keyv.set('k', 'v', -1);
    expect(await keyv.get('k')).toBeUndefined();
  });

  it('on the store itself, 0 and -1 delete', async () => {
    const store = new KeyvMomento({ client: local.client(), namespace: uniqueNamespace() });
    for (const ttl of [0, -1]) {
      await store.set('k', 'v');
      await store.set('k', 'v', ttl);
      expect(await store.get('k'), `ttl ${ttl}`).toBeUndefined();
    }
  });
});

const stackOf = (options: KeyvMomentoOptions) =>
  buildStack(normalizeOptions(options), () => {}).store;
const CHUNK_AT = 64 * 1024;

cacheStoreConformance(
  'the stack KeyvMomento builds, on the memory store',
  () => stackOf({ store: createMemoryStore(), maxItemBytes: CHUNK_AT }),
  { describe, it, expect },
  { chunkThresholdBytes: CHUNK_AT },
);
cacheStoreConformance(
  'the stack KeyvMomento builds, on the local server',
  () => stackOf({ client: local.client(), maxItemBytes: CHUNK_AT }),
  { describe, it, expect },
  { chunkThresholdBytes: CHUNK_AT },
);
