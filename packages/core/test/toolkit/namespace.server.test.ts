/** Namespaces against the real local server: two clients stand in for two processes. */

import { useLocalServer } from '@momento-http/test-kit';
import { describe, expect, it } from 'vitest';
import type { CacheKey, CallOptions } from '../../src/contract';
import { createClient } from '../../src/index';
import { withNamespace } from '../../src/toolkit/namespace';
import { text } from './helpers';

const local = useLocalServer({ clientOptions: { timeoutMs: 30_000 } });

describe('withNamespace over HTTP', { timeout: 30_000 }, () => {
  const secondProcess = () =>
    createClient({
      baseUrl: local.server.url,
      apiKey: local.server.createApiKey(),
      env: {},
    }).cache('default-cache');

  it('two processes share a namespace and see each other’s clear()', async () => {
    const one = withNamespace(local.store(), 'ns-shared');
    const two = withNamespace(secondProcess(), 'ns-shared');
    await one.set('k', 'from-one', { ttlSeconds: 60 });
    expect(text(await two.get('k'))).toBe('from-one');
    await two.clear();
    expect(await one.get('k')).toBeUndefined();
    await one.set('k', 'after-clear', { ttlSeconds: 60 });
    expect(text(await two.get('k'))).toBe('after-clear');
  });

  it('clearing one namespace leaves another intact', async () => {
    const a = withNamespace(local.store(), 'ns-a');
    const b = withNamespace(secondProcess(), 'ns-b');
    await a.set('k', 'a');
    await b.set('k', 'b');
    await a.clear();
    expect(await a.get('k')).toBeUndefined();
    expect(text(await b.get('k'))).toBe('b');
  });

  it('an evicted generation key starts a new random generation', async () => {
    const raw = local.store();
    const store = withNamespace(raw, 'ns-evict');
    await store.set('k', 'v');
    const before = text(await raw.get('ns-evict|__gen__'));
    await raw.delete('ns-evict|__gen__');
    expect(await store.get('k')).toBeUndefined();
    const after = text(await raw.get('ns-evict|__gen__'));
    expect(after).toMatch(/^[0-9a-f]{16}$/);
    expect(after).not.toBe(before);
  });

  it('concurrent first use by two processes converges on one generation', async () => {
    const raw = local.store();
    const one = withNamespace(raw, 'ns-race');
    const two = withNamespace(secondProcess(), 'ns-race');
    await Promise.all([one.get('x'), two.get('x')]);
    await one.set('k', 'v');
    expect(text(await two.get('k'))).toBe('v');
  });

  it('one garbage answer for the generation key clears nothing, for any process', async () => {
    const raw = local.store();
    const one = withNamespace(raw, 'ns-garbage');
    await one.set('k', 'kept', { ttlSeconds: 60 });
    let garbage = 1;
    const faulty = {
      cacheName: raw.cacheName,
      get: async (key: CacheKey, o?: CallOptions) =>
        key === 'ns-garbage|__gen__' && garbage-- > 0
          ? new TextEncoder().encode('<html>bad gateway</html>')
          : raw.get(key, o),
      set: raw.set.bind(raw),
      delete: raw.delete.bind(raw),
    };
    const errors: unknown[] = [];
    const two = withNamespace(faulty, 'ns-garbage', { onError: (e) => errors.push(e) });
    expect(await two.get('k')).toBeUndefined(); // the garbage read is a miss…
    expect(errors).toHaveLength(1);
    expect(text(await two.get('k'))).toBe('kept'); // …and the namespace is intact
    expect(text(await withNamespace(secondProcess(), 'ns-garbage').get('k'))).toBe('kept');
  });
});
