import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../src/index.js';
import { MemoryItemStore } from '../src/storage/memory.js';
import { ItemKey } from '../src/storage/types.js';
import { call, start } from './helpers.js';

const metric = (text: string, name: string) =>
  Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);

describe('memory bound', () => {
  it('a write flood stays inside --max-memory, evicting least recently used first', {
    timeout: 20_000,
  }, async () => {
    const max = 256 * 1024;
    const server = await start({ maxMemoryBytes: max });
    const key = server.createApiKey();
    const value = Buffer.alloc(4000, 1);
    await call(server, '/cache/default-cache?key=hot&ttl_seconds=600', {
      method: 'PUT',
      key,
      body: value,
    });
    for (let batch = 0; batch < 10; batch++) {
      const puts = Array.from({ length: 50 }, (_, j) =>
        call(server, `/cache/default-cache?key=k${batch * 50 + j}&ttl_seconds=600`, {
          method: 'PUT',
          key,
          body: value,
        }),
      );
      for (const r of await Promise.all(puts)) expect(r.status).toBe(204);
      await call(server, '/cache/default-cache?key=hot', { key }); // keep it recently used
    }
    const text = (await call(server, '/metrics')).body;
    expect(metric(text, 'momento_http_memory_bytes')).toBeLessThanOrEqual(max);
    expect(metric(text, 'momento_http_evictions_total')).toBeGreaterThan(400);
    expect((await call(server, '/cache/default-cache?key=hot', { key })).status).toBe(200);
    expect((await call(server, '/cache/default-cache?key=k0', { key })).status).toBe(404);
    expect((await call(server, '/cache/default-cache?key=k499', { key })).status).toBe(200);
    await server.close();
  });

  it('accounts bytes exactly on overwrite and delete', async () => {
    const store = new MemoryItemStore(10_000);
    store.set('c', ItemKey.ofBytes(Buffer.from('k')), Buffer.alloc(100), 60);
    const one = store.stats().bytes;
    store.set('c', ItemKey.ofBytes(Buffer.from('k')), Buffer.alloc(100), 60);
    expect(store.stats().bytes).toBe(one);
    store.delete('c', ItemKey.ofBytes(Buffer.from('k')));
    expect(store.stats()).toMatchObject({ bytes: 0, items: 0 });
    expect(store.set('c', ItemKey.ofBytes(Buffer.from('k')), Buffer.alloc(20_000), 60)).toBe(false);
    await store.close();
  });

  it('an overwrite in place serves the new value, re-accounts its size and counts as recent', async () => {
    for (const bound of [Number.POSITIVE_INFINITY, 10_000]) {
      const store = new MemoryItemStore(bound);
      const key = (k: string) => ItemKey.ofText(k);
      store.set('c', key('a'), Buffer.alloc(10, 1), 60);
      const small = store.stats().bytes;
      store.set('c', key('b'), Buffer.alloc(10), 60);
      store.set('c', key('a'), Buffer.alloc(30, 2), 60);
      expect(store.get('c', key('a'))).toEqual(Buffer.alloc(30, 2));
      expect(store.stats()).toMatchObject({ items: 2, bytes: 2 * small + 20 });
      if (Number.isFinite(bound)) {
        // Going just over the bound evicts one item, 'b': the overwrite made 'a' the most recent.
        const free = bound - store.stats().bytes;
        store.set('c', key('big'), Buffer.alloc(free), 60);
        expect(store.get('c', key('b'))).toBeUndefined();
        expect(store.get('c', key('a'))).toBeDefined();
      }
      await store.close();
    }
  });

  it('a key given as text or as its UTF-8 bytes is the same item', async () => {
    const store = new MemoryItemStore();
    for (const text of ['plain-key', 'ctl\u0001\u007f', 'ünïcode ☃', '']) {
      const bytes = Buffer.from(text, 'utf8');
      expect(ItemKey.ofText(text).id).toBe(ItemKey.ofBytes(bytes).id);
      expect(ItemKey.ofText(text).bytes.equals(bytes)).toBe(true);
      expect(ItemKey.ofText(text).length).toBe(bytes.length);
      store.set('c', ItemKey.ofText(text), Buffer.from(`v-${text}`), 60);
      expect(store.get('c', ItemKey.ofBytes(bytes))?.toString()).toBe(`v-${text}`);
    }
    await store.close();
  });

  it('a value that is a view into a larger buffer is copied, not kept as a view', async () => {
    const store = new MemoryItemStore();
    const socketRead = Buffer.from('PUT /cache/c?key=k HTTP/1.1\r\n\r\nvalue');
    const view = socketRead.subarray(socketRead.length - 5);
    store.set('c', ItemKey.ofBytes(Buffer.from('k')), view, 60);
    socketRead.fill(0);
    const stored = store.get('c', ItemKey.ofBytes(Buffer.from('k')));
    expect(stored?.toString()).toBe('value');
    await store.close();
  });
});

describe('--data-dir', () => {
  it('object bodies, metadata, stores, clusters and keys survive a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'momento-data-'));
    try {
      const first = await startServer({ port: 0, dataDir: dir, clusterActivationMs: 10 });
      const key = first.createApiKey();
      const cluster = {
        name: 'c',
        node_instance_type: 't',
        shard_count: 1,
        replication_factor: 0,
        enforce_shard_multi_az: false,
      };
      expect(
        (await call(first, '/ec-cluster', { method: 'POST', key, body: JSON.stringify(cluster) }))
          .status,
      ).toBe(201);
      const store = {
        storage_config: { s3: { bucket_name: 'b', iam_role_arn: 'arn' } },
        cache_config: { valkey_cluster: { cluster_name: 'c' } },
      };
      expect(
        (await call(first, '/objectstore/s', { method: 'PUT', key, body: JSON.stringify(store) }))
          .status,
      ).toBe(201);
      const body = Buffer.from([1, 2, 3, 0, 255]);
      const headers = { 'mo-meta-content-type': 'application/x-test' };
      expect(
        (
          await call(first, '/objectstore/s/dir/../weird key', {
            method: 'PUT',
            key,
            body,
            headers,
          })
        ).status,
      ).toBe(204);
      await first.close();

      const second = await startServer({ port: 0, dataDir: dir });
      const got = await call(second, '/objectstore/s/dir/../weird key', { key });
      expect(got.status).toBe(200);
      expect(got.bytes.equals(body)).toBe(true);
      expect(got.headers.get('content-type')).toBe('application/x-test');
      expect(JSON.parse((await call(second, '/ec-cluster/c', { key })).body).status).toBe('Active');
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
