/** Object store data and control plane against the real local server. */
import { useLocalServer } from '@momento-http/test-kit';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BadRequestError,
  InvalidArgumentError,
  type ObjectStoreConfig,
  PermissionError,
  StoreNotFoundError,
} from '../../src/index';
import { bytes, sameBytes, text } from './helpers';

const t = useLocalServer({ clusterActivationMs: 0 });

const config = (cluster: string, bucket = 'bucket-1'): ObjectStoreConfig => ({
  storage_config: { s3: { bucket_name: bucket, iam_role_arn: 'arn:aws:iam::123456789012:role/R' } },
  cache_config: { valkey_cluster: { cluster_name: cluster } },
});

beforeAll(async () => {
  await t.client().clusters.create({
    name: 'objects-cluster',
    node_instance_type: 'cache.m6g.large',
    shard_count: 1,
    replication_factor: 1,
    enforce_shard_multi_az: false,
  });
});

describe('object store control plane', () => {
  it('createOrUpdate tells created (201) from updated (200); describe, list, delete', async () => {
    const stores = t.client().objectStores;
    const first = await stores.createOrUpdate('assets', config('objects-cluster'));
    expect(first.created).toBe(true);
    expect(first.store).toMatchObject({
      name: 'assets',
      storage_config: { s3: { bucket_name: 'bucket-1' } },
    });
    const limits = { read_operations_per_second: 50 };
    const second = await stores.createOrUpdate('assets', {
      ...config('objects-cluster'),
      object_store_limits: limits,
    });
    expect(second.created).toBe(false);
    expect(second.store.object_store_limits).toEqual(limits);
    expect(await stores.describe('assets')).toMatchObject({
      name: 'assets',
      object_store_limits: limits,
    });
    expect(await stores.list()).toContainEqual({ name: 'assets' });
    await stores.createOrUpdate('doomed', config('objects-cluster'));
    await stores.delete('doomed');
    expect(await stores.list()).not.toContainEqual({ name: 'doomed' });
  });

  it('a missing store is StoreNotFoundError on describe and delete', async () => {
    const stores = t.client().objectStores;
    await expect(stores.describe('nope')).rejects.toBeInstanceOf(StoreNotFoundError);
    await expect(stores.delete('nope')).rejects.toBeInstanceOf(StoreNotFoundError);
  });

  it('invalid configuration is a BadRequestError with the server message', async () => {
    const error = await t
      .client()
      .objectStores.createOrUpdate('bad', config('no-such-cluster'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as Error).message).toMatch(/no-such-cluster/);
  });

  it('needs a super-user key: 403 PermissionError otherwise', async () => {
    const c = t.client({ apiKey: t.server.createApiKey({ role: 'readwrite' }) });
    await expect(c.objectStores.list()).rejects.toBeInstanceOf(PermissionError);
  });
});

describe('object store data plane', () => {
  beforeAll(async () => {
    await t.client().objectStores.createOrUpdate('data', config('objects-cluster'));
  });

  it('put / get with metadata / delete; a miss is undefined', async () => {
    const store = t.client().objectStore('data');
    expect(await store.get('missing')).toBeUndefined();
    await store.put('images/logo.png', 'PNG', {
      metadata: { 'Content-Type': 'image/png', 'cache-control': 'max-age=60', owner: 'team a' },
      tags: { env: 'prod' },
      ttlSeconds: 3600,
    });
    const found = await store.get('images/logo.png', { readConcern: 'consistent' });
    expect(text(found?.body)).toBe('PNG');
    expect(found?.metadata).toEqual({
      'content-type': 'image/png',
      'cache-control': 'max-age=60',
      owner: 'team a',
    });
    expect(found?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    await store.delete('images/logo.png');
    expect(await store.get('images/logo.png')).toBeUndefined();
    await expect(store.delete('images/logo.png')).resolves.toBeUndefined();
  });

  it('keys with slashes, unicode and reserved characters, binary bodies of any size', async () => {
    const store = t.client().objectStore('data');
    const keys = ['a/b/c.txt', 'ключ/🔑', 'q?x=1&y=2#frag', 'sp ace/%41', 'plus+sign'];
    for (const key of keys) await store.put(key, key);
    for (const key of keys) expect(text((await store.get(key))?.body), key).toBe(key);
    for (const size of [0, 256, 3 * 1024 * 1024]) {
      const body = size === 256 ? Uint8Array.from({ length: 256 }, (_, i) => i) : bytes(size, 5);
      await store.put(`bin-${size}`, body);
      expect(sameBytes((await store.get(`bin-${size}`))?.body, body)).toBe(true);
    }
  });

  it('blocked metadata names are refused before any request, with a clear error', async () => {
    let requests = 0;
    const store = t.client({ hooks: { onRequest: () => requests++ } }).objectStore('data');
    for (const name of [
      'Authorization',
      'set-cookie',
      'content-length',
      'access-control-allow-origin',
      'host',
    ]) {
      const error = await store
        .put('k', 'v', { metadata: { [name]: 'x' } })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as Error).message).toContain(`"${name}"`);
      expect((error as Error).message).toMatch(/blocked/);
    }
    await expect(store.put('k', 'v', { metadata: { 'bad name': 'x' } })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(store.put('k', 'v', { metadata: { ok: 'a\r\nb' } })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(store.put('a/../b', 'v')).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(requests).toBe(0);
  });

  it('invalid tags are a 400 from the server; a missing store is StoreNotFoundError', async () => {
    const c = t.client();
    await expect(
      c.objectStore('data').put('k', 'v', { tags: { env: 'x'.repeat(300) } }),
    ).rejects.toBeInstanceOf(BadRequestError);
    for (const call of [
      () => c.objectStore('ghost').get('k'),
      () => c.objectStore('ghost').put('k', 'v'),
      () => c.objectStore('ghost').delete('k'),
    ]) {
      await expect(call()).rejects.toBeInstanceOf(StoreNotFoundError);
    }
  });

  it('ephemeral persistence with a TTL over 600 s is refused by the server', async () => {
    const store = t.client().objectStore('data');
    await store.put('eph', 'v', { persistence: 'ephemeral', ttlSeconds: 60 });
    expect(text((await store.get('eph'))?.body)).toBe('v');
    await expect(
      store.put('eph', 'v', { persistence: 'ephemeral', ttlSeconds: 601 }),
    ).rejects.toBeInstanceOf(BadRequestError);
  });
});
