/** Namespaces against the real local server: two clients stand in for two processes. */

import { useLocalServer } from '@momento-http/test-kit';
import { describe, expect, it } from 'vitest';
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
});
