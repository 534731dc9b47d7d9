/**
 * The undici transport (the Node default) talks to the dispatcher directly, so what `undici.request`
 * used to do for it is tested here against the real server: headers, error bodies, aborts while
 * queued for a connection, connection failures.
 */

import { createServer } from 'node:net';
import { useLocalServer } from '@momento-http/test-kit';
import { MockAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import {
  CacheNotFoundError,
  ConnectionError,
  LimitExceededError,
  MomentoClient,
  TimeoutError,
} from '../../src/index';
import { undiciTransport } from '../../src/node';
import { text } from './helpers';

const t = useLocalServer();
const client = (extra: ConstructorParameters<typeof MomentoClient>[0] = {}) =>
  t.client({ transport: undiciTransport({ connections: 4 }), ...extra });

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('undici transport', () => {
  it('tells a Cache Not Found 404 from a miss by its body', async () => {
    const c = client({ retries: 0 });
    expect(await c.get('default-cache', 'never-set')).toBeUndefined();
    expect(await failure(c.get('no-such-cache', 'k'))).toBeInstanceOf(CacheNotFoundError);
  });

  it('reads response headers (Retry-After on a 429)', async () => {
    t.server.faults.add({ path: '/cache/default-cache', status: 429, count: 1 });
    const error = await failure(client({ retries: 0 }).get('default-cache', 'k'));
    expect(error).toBeInstanceOf(LimitExceededError);
    expect((error as LimitExceededError).retryAfterSeconds).toBe(1);
  });

  it('returns object metadata from the response headers, as the fetch transport does', async () => {
    const c = client();
    await c.clusters.create({
      name: 'undici-cluster',
      node_instance_type: 'cache.m6g.large',
      shard_count: 1,
      replication_factor: 1,
      enforce_shard_multi_az: false,
    });
    await c.objectStores.createOrUpdate('undici-store', {
      storage_config: {
        s3: { bucket_name: 'b', iam_role_arn: 'arn:aws:iam::123456789012:role/R' },
      },
      cache_config: { valkey_cluster: { cluster_name: 'undici-cluster' } },
    });
    const store = c.objectStore('undici-store');
    await store.put('a/b.txt', 'body', { metadata: { owner: 'team a', 'X-Two': '2' } });
    const found = await store.get('a/b.txt', { readConcern: 'consistent' });
    expect(text(found?.body)).toBe('body');
    expect(found?.metadata).toMatchObject({ owner: 'team a', 'x-two': '2' });
    const viaFetch = await t.client().objectStore('undici-store').get('a/b.txt');
    expect(found?.metadata).toEqual(viaFetch?.metadata);
    expect(found?.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('the body is a fresh Uint8Array of the exact length', async () => {
    const c = client();
    await c.set('default-cache', 'exact', 'hello');
    const value = await c.get('default-cache', 'exact');
    expect(value?.constructor).toBe(Uint8Array);
    expect(value?.byteOffset).toBe(0);
    expect(value?.buffer.byteLength).toBe(5);
  });

  it('a call queued behind a busy connection still aborts and times out at once', async () => {
    const c = t.client({ transport: undiciTransport({ connections: 1 }), retries: 0 });
    t.server.faults.add({ path: '/cache/default-cache', delayMs: 1500, count: 1 });
    const slow = c.get('default-cache', 'slow');
    let slowDone = false;
    slow.finally(() => (slowDone = true)).catch(() => {});
    const controller = new AbortController();
    const reason = new Error('stop');
    const queued = c.get('default-cache', 'queued', { signal: controller.signal });
    const timed = c.get('default-cache', 'timed', { timeoutMs: 100 });
    setTimeout(() => controller.abort(reason), 20);
    await expect(queued).rejects.toBe(reason);
    await expect(timed).rejects.toBeInstanceOf(TimeoutError);
    // "At once" means before the busy connection frees, whatever the machine's load: an order,
    // not a clock.
    expect(slowDone).toBe(false);
    expect(await slow).toBeUndefined();
    // The connection is still usable afterwards.
    expect(await c.get('default-cache', 'after')).toBeUndefined();
  });

  it('a connection that closes without an answer is a ConnectionError after the retries', async () => {
    let connections = 0;
    const dead = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    const { port } = dead.address() as { port: number };
    try {
      const c = new MomentoClient({
        baseUrl: `http://127.0.0.1:${port}`,
        apiKey: t.apiKey,
        env: {},
        retries: 2,
        transport: undiciTransport(),
      });
      expect(await failure(c.get('default-cache', 'k'))).toBeInstanceOf(ConnectionError);
      expect(connections).toBe(3);
    } finally {
      await new Promise((resolve) => dead.close(resolve));
    }
  });

  it("works over a caller's own dispatcher (undici's MockAgent here, which users test with)", async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const pool = agent.get('http://cache.test');
    pool.intercept({ path: '/cache/c?key=k', method: 'GET' }).reply(200, 'hello');
    pool.intercept({ path: '/cache/c?key=m', method: 'GET' }).reply(404, 'Key Not Found');
    pool.intercept({ path: '/cache/c?key=k&ttl_seconds=60', method: 'PUT' }).reply(204, '');
    const c = new MomentoClient({
      baseUrl: 'http://cache.test',
      apiKey: t.apiKey,
      env: {},
      transport: undiciTransport({ dispatcher: agent }),
    });
    expect(text(await c.get('c', 'k'))).toBe('hello');
    expect(await c.get('c', 'm')).toBeUndefined();
    await c.set('c', 'k', 'v');
    agent.assertNoPendingInterceptors();
    await agent.close();
  });
});
