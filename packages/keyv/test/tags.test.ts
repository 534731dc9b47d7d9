/** Tags on Keyv data: setWithTags / invalidateTags against the real local server. */
import { RecordingStore, useLocalServer } from '@momento-http/test-kit';
import { describe, expect, it } from 'vitest';
import { createKeyv, KeyvMomento, setWithTags } from '../src/index';

const local = useLocalServer();

describe('tags on data', { timeout: 30_000 }, () => {
  const twoProcesses = (options: ConstructorParameters<typeof KeyvMomento>[0] = {}) => {
    const cacheName = 'default-cache';
    const a = new KeyvMomento({ client: local.client(), cacheName, namespace: 'tags', ...options });
    const b = new KeyvMomento({ client: local.client(), cacheName, namespace: 'tags', ...options });
    return { a, b };
  };

  it('a tagged value is a miss in every process once a tag is purged; untagged ones stay', async () => {
    const { a, b } = twoProcesses();
    expect(await a.setWithTags('p1', '"one"', { tags: ['product:1', 'all'] })).toBe(true);
    await a.set('plain', '"plain"');
    expect(await b.get('p1')).toBe('"one"');
    expect(await b.invalidateTags(['product:1'])).toBe(true);
    expect(await a.get('p1')).toBeUndefined();
    expect(await b.get('p1')).toBeUndefined();
    expect(await a.getMany(['p1', 'plain'])).toEqual([undefined, '"plain"']);
    // Written again after the purge: fresh.
    await a.setWithTags('p1', '"two"', { tags: ['product:1'] });
    expect(await b.get('p1')).toBe('"two"');
  });

  it('with the near cache, this process sees its own purge at once', async () => {
    const { a } = twoProcesses({ nearCache: { ttlMs: 60_000 } });
    await a.setWithTags('near', '"v"', { tags: ['near:1'] });
    expect(await a.get('near')).toBe('"v"');
    await a.invalidateTags(['near:1']);
    expect(await a.get('near')).toBeUndefined();
    expect(await a.has('near')).toBe(false);
  });

  it('untagged keys read no tag key', async () => {
    const store = new RecordingStore(local.store());
    const keyv = new KeyvMomento({ store, namespace: 'plain' });
    await keyv.set('k', '"v"');
    store.gets.length = 0;
    expect(await keyv.get('k')).toBe('"v"');
    expect(store.gets.some((key) => key.includes('__tag__'))).toBe(false);
    await keyv.setWithTags('t', '"v"', { tags: ['x'] });
    store.gets.length = 0;
    await keyv.get('t');
    expect(store.gets).toContain('__tag__|x');
  });

  it('a tag that cannot be read makes the tagged value a miss, reported', async () => {
    const store = new RecordingStore(local.store());
    const errors: unknown[] = [];
    const keyv = new KeyvMomento({ store, namespace: 'fail', onError: (e) => errors.push(e) });
    await keyv.setWithTags('t', '"v"', { tags: ['broken'] });
    store.rule({ method: 'get', key: '__tag__|broken', fail: new Error('tag read failed') });
    expect(await keyv.get('t')).toBeUndefined();
    expect(errors.length).toBeGreaterThan(0);
  });

  it('setWithTags through Keyv (createKeyv, the cache-manager store) serializes as Keyv does', async () => {
    const keyv = createKeyv({
      client: local.client(),
      namespace: 'keyv-tags',
      tagNamespace: 'shop',
    });
    await setWithTags(keyv, 'product', { id: 1 }, { ttl: 60_000, tags: ['product:1'] });
    expect(await keyv.get('product')).toEqual({ id: 1 });
    await (keyv.store as KeyvMomento).invalidateTags(['product:1']);
    expect(await keyv.get('product')).toBeUndefined();
  });

  it('rejects tags that are not a list of strings', async () => {
    const keyv = new KeyvMomento({
      client: local.client(),
      throwOnErrors: true,
      onError: () => {},
    });
    await expect(keyv.setWithTags('k', '"v"', { tags: 'x' as never })).rejects.toThrow(/tags/);
    await expect(keyv.invalidateTags([''])).rejects.toThrow(/tags/);
  });
});
