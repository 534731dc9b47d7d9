/** Valkey cluster control plane against the real local server. */
import { useLocalServer } from '@momento-http/test-kit';
import { describe, expect, it } from 'vitest';
import { type CreateClusterRequest, NotFoundError, PermissionError } from '../../src/index';

const t = useLocalServer({ clusterActivationMs: 50 });

const request = (name: string): CreateClusterRequest => ({
  name,
  node_instance_type: 'cache.m6g.large',
  shard_count: 3,
  replication_factor: 2,
  enforce_shard_multi_az: true,
});

describe('clusters', () => {
  it('create (Creating) → describe until Active → list → delete', async () => {
    const clusters = t.client().clusters;
    const created = await clusters.create(request('c1'));
    expect(created).toMatchObject({
      name: 'c1',
      node_instance_type: 'cache.m6g.large',
      status: 'Creating',
    });
    const deadline = Date.now() + 5000;
    let status = created.status;
    while (status !== 'Active' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      status = (await clusters.describe('c1')).status;
    }
    expect(status).toBe('Active');
    expect(await clusters.list()).toContainEqual({ name: 'c1' });
    await clusters.delete('c1');
    expect(await clusters.list()).not.toContainEqual({ name: 'c1' });
  });

  it('update actions are accepted', async () => {
    const clusters = t.client().clusters;
    await clusters.create(request('c2'));
    await clusters.updateReplicationGroup('c2', { node_instance_type: 'cache.m6g.xlarge' });
    await clusters.updateShardConfiguration('c2', { shard_count: 5 });
    await clusters.increaseReplicaCount('c2', { replication_factor: 3 });
    await clusters.decreaseReplicaCount('c2', { replication_factor: 1 });
    const deadline = Date.now() + 5000;
    let described = await clusters.describe('c2');
    while (described.status !== 'Active' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      described = await clusters.describe('c2');
    }
    expect(described).toMatchObject({
      node_instance_type: 'cache.m6g.xlarge',
      shard_count: 5,
      replication_factor: 1,
    });
  });

  it('a missing cluster is NotFoundError; a bad request is a BadRequestError; creates are not retried', async () => {
    const clusters = t.client({ retries: 3 }).clusters;
    await expect(clusters.describe('ghost')).rejects.toBeInstanceOf(NotFoundError);
    await expect(clusters.delete('ghost')).rejects.toMatchObject({ status: 404 });
    await expect(clusters.create({ ...request('bad'), shard_count: -1 })).rejects.toMatchObject({
      status: 400,
      name: 'BadRequestError',
    });
    t.server.faults.add({ path: '/ec-cluster', method: 'POST', status: 503 });
    const before = await t.requestCount('cluster_control', 503);
    await expect(clusters.create(request('c3'))).rejects.toMatchObject({ status: 503 });
    t.server.faults.clear();
    expect((await t.requestCount('cluster_control', 503)) - before).toBe(1);
  });

  it('needs a super-user key', async () => {
    const c = t.client({ apiKey: t.server.createApiKey({ role: 'readwrite' }) });
    await expect(c.clusters.list()).rejects.toBeInstanceOf(PermissionError);
  });
});
