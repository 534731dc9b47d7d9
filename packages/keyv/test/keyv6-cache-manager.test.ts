// cache-manager 7 on createKeyv() when the application has Keyv 6 installed (issue 17, point 2):
// `keyv` resolves to Keyv 6.1 in this file, as it does in such an application.
import { useLocalServer } from '@momento-http/test-kit';
import { createCache } from 'cache-manager';
import { describe, expect, it, vi } from 'vitest';
import { createKeyv } from '../src/index';
import { uniqueNamespace } from './helpers';

vi.mock('keyv', async () => import('keyv6'));

const local = useLocalServer();

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
});
