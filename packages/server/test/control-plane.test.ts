import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { call, start } from './helpers.js';

let server: RunningServer;
let key: string;
beforeAll(async () => {
  server = await start({ clusterActivationMs: 50 });
  key = server.createApiKey();
});
afterAll(() => server.close());

const json = (body: unknown): RequestInit => ({
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json' },
});
const clusterBody = (name: string) => ({
  name,
  node_instance_type: 'cache.m6g.large',
  shard_count: 3,
  replication_factor: 2,
  enforce_shard_multi_az: true,
});
const storeBody = (cluster: string, extra: object = {}) => ({
  storage_config: { s3: { bucket_name: 'bucket', iam_role_arn: 'arn:aws:iam::1:role/r' } },
  cache_config: { valkey_cluster: { cluster_name: cluster } },
  ...extra,
});

async function waitForStatus(name: string, status: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const r = await call(server, `/ec-cluster/${name}`, { key });
    if (JSON.parse(r.body).status === status) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`cluster ${name} never became ${status}`);
}

describe('Valkey cluster control plane', () => {
  it('creates (201, Creating), then Active; lists names; describes; deletes (204)', async () => {
    const created = await call(server, '/ec-cluster', {
      method: 'POST',
      key,
      ...json(clusterBody('c1')),
    });
    expect(created.status).toBe(201);
    expect(JSON.parse(created.body)).toMatchObject({
      name: 'c1',
      status: 'Creating',
      shard_count: 3,
    });
    await waitForStatus('c1', 'Active');
    const list = await call(server, '/ec-cluster', { key });
    expect(JSON.parse(list.body)).toEqual({ clusters: [{ name: 'c1' }] });
    expect((await call(server, '/ec-cluster/c1', { method: 'DELETE', key })).status).toBe(204);
    expect((await call(server, '/ec-cluster/c1', { key })).status).toBe(404);
  });

  it('400 Invalid cluster configuration for bad bodies', async () => {
    for (const body of [
      {},
      { ...clusterBody('x'), shard_count: 0 },
      { ...clusterBody('bad/name') },
    ]) {
      const r = await call(server, '/ec-cluster', { method: 'POST', key, ...json(body) });
      expect(r.status).toBe(400);
      expect(r.body).toMatch(/Invalid cluster configuration/);
    }
    const notJson = await call(server, '/ec-cluster', { method: 'POST', key, body: '{' });
    expect(notJson.status).toBe(400);
  });

  it('update endpoints answer 202 and move through Updating back to Active', async () => {
    await call(server, '/ec-cluster', { method: 'POST', key, ...json(clusterBody('c2')) });
    await waitForStatus('c2', 'Active');
    const base = '/ec-cluster/c2';
    const post = (path: string, body: object) =>
      call(server, `${base}/${path}`, { method: 'POST', key, ...json(body) });
    expect(
      (await post('replication-group', { node_instance_type: 'cache.m6g.xlarge' })).status,
    ).toBe(202);
    await waitForStatus('c2', 'Active');
    expect((await post('shard-configuration', { shard_count: 5 })).status).toBe(202);
    expect((await post('shard-configuration', { shard_count: 3 })).status).toBe(400); // shards_to_remove missing
    expect(
      (await post('shard-configuration', { shard_count: 3, shards_to_remove: [3, 4] })).status,
    ).toBe(202);
    expect((await post('increase-replica-count', { replication_factor: 3 })).status).toBe(202);
    expect((await post('decrease-replica-count', { replication_factor: 1 })).status).toBe(202);
    expect((await post('increase-replica-count', { replication_factor: 1 })).status).toBe(400);
    await waitForStatus('c2', 'Active');
    const described = JSON.parse((await call(server, base, { key })).body);
    expect(described).toMatchObject({
      node_instance_type: 'cache.m6g.xlarge',
      shard_count: 3,
      replication_factor: 1,
    });
    expect((await call(server, `${base}/nope`, { method: 'POST', key, ...json({}) })).status).toBe(
      404,
    );
    expect(
      (
        await call(server, '/ec-cluster/missing/replication-group', {
          method: 'POST',
          key,
          ...json({}),
        })
      ).status,
    ).toBe(404);
  });
});

describe('object store control plane', () => {
  it('201 on create, 200 on update, the store must name an existing cluster', async () => {
    const missing = await call(server, '/objectstore/s1', {
      method: 'PUT',
      key,
      ...json(storeBody('nope')),
    });
    expect(missing.status).toBe(400);
    await call(server, '/ec-cluster', { method: 'POST', key, ...json(clusterBody('c3')) });
    const created = await call(server, '/objectstore/s1', {
      method: 'PUT',
      key,
      ...json(storeBody('c3')),
    });
    expect(created.status).toBe(201);
    expect(JSON.parse(created.body)).toMatchObject({
      name: 's1',
      cache_config: { valkey_cluster: { cluster_name: 'c3' } },
    });
    const limits = { object_store_limits: { read_operations_per_second: 5 } };
    const updated = await call(server, '/objectstore/s1', {
      method: 'PUT',
      key,
      ...json(storeBody('c3', limits)),
    });
    expect(updated.status).toBe(200);
    expect(JSON.parse((await call(server, '/objectstore/s1', { key })).body)).toMatchObject(limits);
    const moved = storeBody('c3');
    moved.storage_config.s3.bucket_name = 'other';
    expect(
      (await call(server, '/objectstore/s1', { method: 'PUT', key, ...json(moved) })).status,
    ).toBe(400);
    expect(JSON.parse((await call(server, '/objectstore', { key })).body)).toEqual({
      object_stores: [{ name: 's1' }],
    });
    // a cluster in use cannot be deleted
    expect((await call(server, '/ec-cluster/c3', { method: 'DELETE', key })).status).toBe(400);
    expect((await call(server, '/objectstore/s1', { method: 'DELETE', key })).status).toBe(200);
    expect((await call(server, '/objectstore/s1', { key })).status).toBe(404);
    expect((await call(server, '/objectstore/s1', { method: 'DELETE', key })).status).toBe(404);
  });

  it('400 for a body without the required fields; 405 for other methods', async () => {
    expect(
      (await call(server, '/objectstore/s2', { method: 'PUT', key, ...json({}) })).status,
    ).toBe(400);
    const r = await call(server, '/objectstore/s2', { method: 'POST', key });
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('GET, PUT, DELETE');
  });
});
