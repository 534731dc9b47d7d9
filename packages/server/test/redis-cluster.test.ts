import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRedisServer, keyCount, startRedisCluster } from '@momento-http/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, ServerOptionsError, startServer } from '../src/index.js';
import { startCli } from './cli-process.js';
import { call } from './helpers.js';

const binary = findRedisServer();
if (!binary)
  console.warn(
    '[server/redis-cluster.test] skipped: redis-server (or valkey-server) is not installed',
  );

describe('options', () => {
  it('redisCluster takes host:port entries and excludes redisUrl', async () => {
    await expect(
      startServer({ port: 0, redisCluster: '127.0.0.1:7000', redisUrl: 'redis://x' }),
    ).rejects.toThrow(ServerOptionsError);
    await expect(startServer({ port: 0, redisCluster: 'no-port' })).rejects.toThrow(
      /expected host:port, got "no-port"/,
    );
    await expect(startServer({ port: 0, redisCluster: ' , ' })).rejects.toThrow(/at least one/);
  });
});

describe.skipIf(!binary)('Redis/Valkey Cluster storage', { timeout: 60_000 }, () => {
  let dir: string;
  let cluster: Awaited<ReturnType<typeof startRedisCluster>>;
  let a: RunningServer;
  let b: RunningServer;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'momento-redis-cluster-'));
    cluster = await startRedisCluster(binary!, dir);
    const shared = { port: 0, signingSecret: 'cluster-test-secret', caches: ['default-cache'] };
    a = await startServer({ ...shared, redisCluster: cluster.nodes.join(',') });
    // The second process knows only one node: the others are discovered.
    b = await startServer({ ...shared, redisCluster: [cluster.nodes[2]!] });
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await cluster?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('topics: a publish on one server reaches a subscriber on the other (hash-tagged keys, one slot)', async () => {
    const key = a.createApiKey();
    const T = '/topics/default-cache/cluster-topic';
    const init = { method: 'POST', key, headers: { 'content-type': 'text/plain' } };
    for (const m of ['one', 'two'])
      expect((await call(a, T, { ...init, body: m })).status).toBe(204);
    const reply = await call(b, `${T}?sequence_number=0&sequence_page=0`, { key });
    expect(reply.status).toBe(200);
    const items = (JSON.parse(reply.body) as { items: { item: { value: { text: string } } }[] })
      .items;
    expect(items.map((i) => i.item.value.text)).toEqual(['one', 'two']);
    const page = (JSON.parse(reply.body) as { items: { item: { sequence_page: number } }[] })
      .items[0]!.item.sequence_page;
    // A poll blocked in XREAD on B's cluster connection is answered by a publish on A.
    let answered = false;
    const held = call(b, `${T}?sequence_number=2&sequence_page=${page}`, { key }).then((r) => {
      answered = true;
      return r;
    });
    while (!answered) {
      expect((await call(a, T, { ...init, body: 'three' })).status).toBe(204);
      await new Promise((r) => setImmediate(r));
    }
    expect((await held).body).toContain('"topic_sequence_number":2');
  });

  it('two servers over a three-master cluster see one dataset, spread over every master', async () => {
    const key = a.createApiKey();
    const C = '/cache/default-cache';
    for (let i = 0; i < 60; i++) {
      const r = await call(a, `${C}?key=item-${i}&ttl_seconds=60`, {
        method: 'PUT',
        key,
        body: `value ${i}`,
      });
      expect(r.status).toBe(204);
    }
    for (let i = 0; i < 60; i++) {
      expect((await call(b, `${C}?key=item-${i}`, { key })).body).toBe(`value ${i}`);
    }
    // Each item's key carries its own hash tag: the items land on all three masters.
    const counts = await Promise.all(cluster.ports.map((port) => keyCount(port)));
    for (const count of counts) expect(count).toBeGreaterThan(5);
    await call(b, `${C}?key=item-0`, { method: 'DELETE', key });
    expect((await call(a, `${C}?key=item-0`, { key })).status).toBe(404);
  });

  it('binary keys with braces stay exact (the hash tag never changes the key)', async () => {
    const key = a.createApiKey();
    const names = ['{a}', 'x}y{z', '}{', '{}'].map((k) => Buffer.from(k).toString('base64url'));
    for (const [i, k] of names.entries()) {
      await call(a, `/cache/default-cache?key_base64=${k}&ttl_seconds=60`, {
        method: 'PUT',
        key,
        body: String(i),
      });
    }
    for (const [i, k] of names.entries()) {
      expect((await call(b, `/cache/default-cache?key_base64=${k}`, { key })).body).toBe(String(i));
    }
  });

  it('a cache created through one server is known to the other (shared names)', async () => {
    const c = await startServer({
      port: 0,
      signingSecret: 'cluster-test-secret',
      caches: ['made-by-c'],
      redisCluster: cluster.nodes,
    });
    try {
      const key = c.createApiKey();
      expect((await call(a, '/cache/made-by-c?key=k', { key })).body).toBe('Key Not Found');
    } finally {
      await c.close();
    }
  });

  it('the CLI takes --redis-cluster host:port,…', async () => {
    const cli = await startCli(['--port', '0', '--redis-cluster', cluster.nodes.join(',')], {
      MOMENTO_HTTP_SERVER_SECRET: 'cluster-test-secret',
    });
    try {
      const r = await call({ url: cli.endpoint }, '/cache/default-cache?key=item-5', {
        key: cli.key,
      });
      expect(r.body).toBe('value 5');
    } finally {
      await cli.stop();
    }
  });
});
