/** Valkey cluster control plane against the real local server. */
import { useLocalServer } from '@momento-http/test-kit';
import { describe, expect, it } from 'vitest';
import {
  type ClusterApi,
  type CreateClusterRequest,
  InvalidArgumentError,
  NotFoundError,
  PermissionError,
} from '../../src/index';

const t = useLocalServer({ clusterActivationMs: 50 });

const request = (name: string): CreateClusterRequest => ({
  name,
  node_instance_type: 'cache.m6g.large',
  shard_count: 3,
  replication_factor: 2,
  enforce_shard_multi_az: true,
});

const names = (list: { name: string }[]) => list.map((c) => c.name);

describe.each<ClusterApi>(['cluster', 'ec-cluster'])('clusters over /%s', (clusterApi) => {
  const n = (name: string) => `${clusterApi}-${name}`;
  it('create (Creating) → describe until Active → list → delete', async () => {
    const clusters = t.client({ clusterApi }).clusters;
    const created = await clusters.create(request(n('c1')));
    expect(created).toMatchObject({
      name: n('c1'),
      node_instance_type: 'cache.m6g.large',
      status: 'Creating',
    });
    const deadline = Date.now() + 5000;
    let status = created.status;
    while (status !== 'Active' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      status = (await clusters.describe(n('c1'))).status;
    }
    expect(status).toBe('Active');
    expect(names(await clusters.list())).toContain(n('c1'));
    await clusters.delete(n('c1'));
    expect(names(await clusters.list())).not.toContain(n('c1'));
  });

  it('update actions are accepted', async () => {
    const clusters = t.client({ clusterApi }).clusters;
    await clusters.create(request(n('c2')));
    await clusters.updateReplicationGroup(n('c2'), { node_instance_type: 'cache.m6g.xlarge' });
    await clusters.updateShardConfiguration(n('c2'), { shard_count: 5 });
    await clusters.increaseReplicaCount(n('c2'), { replication_factor: 3 });
    await clusters.decreaseReplicaCount(n('c2'), { replication_factor: 1 });
    const deadline = Date.now() + 5000;
    let described = await clusters.describe(n('c2'));
    while (described.status !== 'Active' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      described = await clusters.describe(n('c2'));
    }
    expect(described).toMatchObject({
      node_instance_type: 'cache.m6g.xlarge',
      shard_count: 5,
      replication_factor: 1,
    });
  });

  it('a missing cluster is NotFoundError; a bad request is a BadRequestError', async () => {
    const clusters = t.client({ clusterApi }).clusters;
    await expect(clusters.describe('ghost')).rejects.toBeInstanceOf(NotFoundError);
    await expect(clusters.delete('ghost')).rejects.toMatchObject({ status: 404 });
    await expect(clusters.create({ ...request('bad'), shard_count: -1 })).rejects.toMatchObject({
      status: 400,
      name: 'BadRequestError',
      message: expect.stringMatching(/Invalid cluster configuration/),
    });
  });

  it('needs a super-user key', async () => {
    const c = t.client({ clusterApi, apiKey: t.server.createApiKey({ role: 'readwrite' }) });
    await expect(c.clusters.list()).rejects.toBeInstanceOf(PermissionError);
  });
});

describe('which API', () => {
  it('the seed API by default: PUT /cluster/{name}, retried like any idempotent call', async () => {
    const methods: string[] = [];
    const clusters = t.client({
      retries: 3,
      hooks: { onRequest: (e) => methods.push(`${e.method} ${new URL(e.url).pathname}`) },
    }).clusters;
    t.server.faults.add({ path: '/cluster/c4', method: 'PUT', status: 503, count: 1 });
    expect(await clusters.create(request('c4'))).toMatchObject({ name: 'c4', status: 'Creating' });
    expect(methods).toEqual(['PUT /cluster/c4', 'PUT /cluster/c4']);
  });

  it('ec-cluster creates are POSTs and are not retried', async () => {
    const clusters = t.client({ clusterApi: 'ec-cluster', retries: 3 }).clusters;
    t.server.faults.add({ path: '/ec-cluster', method: 'POST', status: 503 });
    const before = await t.requestCount('cluster_control', 503);
    await expect(clusters.create(request('c3'))).rejects.toMatchObject({ status: 503 });
    t.server.faults.clear();
    expect((await t.requestCount('cluster_control', 503)) - before).toBe(1);
  });

  it('anything else is an InvalidArgumentError', () => {
    expect(() => t.client({ clusterApi: 'clusters' as ClusterApi })).toThrow(InvalidArgumentError);
  });
});
