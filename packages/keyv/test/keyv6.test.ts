// Keyv 6.1 specifics beyond the 2.1.2 suite: the bridge hands namespaces (and clear) to the store,
// expiry is exact, batch results are arrays.

import { useLocalServer } from '@momento-http/test-kit';
import { Keyv } from 'keyv6';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KeyvMomento } from '../src/index';
import { uniqueNamespace } from './helpers';

const local = useLocalServer();

afterEach(() => {
  vi.useRealTimers();
});

describe('under Keyv 6.1', () => {
  it('the bridge leaves namespacing to the store (no `ns::` prefix) and clear() is scoped', async () => {
    const namespace = uniqueNamespace();
    const store = new KeyvMomento({ client: local.client() });
    const a = new Keyv({ store, namespace });
    const b = new Keyv({
      store: new KeyvMomento({ client: local.client() }),
      namespace: uniqueNamespace(),
    });
    expect(store.namespace).toBe(namespace);
    await a.set('k', 'a');
    await b.set('k', 'b');
    expect(await store.get('k')).toContain('"a"'); // the store got the bare key
    await a.clear();
    expect(await a.get('k')).toBeUndefined();
    expect(await b.get('k')).toBe('b');
  });

  it('expiry is exact for get, has and hasMany', async () => {
    const keyv = new Keyv({
      store: new KeyvMomento({ client: local.client(), namespace: uniqueNamespace() }),
    });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now());
    await keyv.set('short', 'v', 300);
    await keyv.set('long', 'v', 60_000);
    expect(await keyv.hasMany(['short', 'long'])).toEqual([true, true]);
    vi.setSystemTime(Date.now() + 301);
    expect(await keyv.get('short')).toBeUndefined();
    expect(await keyv.has('short')).toBe(false);
    expect(await keyv.hasMany(['short', 'long'])).toEqual([false, true]);
  });

  it('batch calls return per-key arrays', async () => {
    const keyv = new Keyv<unknown>({
      store: new KeyvMomento({ client: local.client(), namespace: uniqueNamespace() }),
    });
    const entries: Array<{ key: string; value: unknown }> = [
      { key: 'a', value: 1 },
      { key: 'b', value: { x: 2n } },
    ];
    expect(await keyv.setMany(entries)).toEqual([true, true]);
    expect(await keyv.getMany(['a', 'b', 'c'])).toEqual([1, { x: 2n }, undefined]);
    expect(await keyv.deleteMany(['a', 'b'])).toEqual([true, true]);
  });
});
