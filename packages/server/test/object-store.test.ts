import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { call, start } from './helpers.js';

let server: RunningServer;
let key: string;
beforeAll(async () => {
  server = await start({ clusterActivationMs: 10 });
  key = server.createApiKey();
  await call(server, '/ec-cluster', {
    method: 'POST',
    key,
    body: JSON.stringify({
      name: 'c',
      node_instance_type: 't',
      shard_count: 1,
      replication_factor: 0,
      enforce_shard_multi_az: false,
    }),
  });
  await call(server, '/objectstore/store', {
    method: 'PUT',
    key,
    body: JSON.stringify({
      storage_config: { s3: { bucket_name: 'b', iam_role_arn: 'arn' } },
      cache_config: { valkey_cluster: { cluster_name: 'c' } },
    }),
  });
});
afterAll(() => server.close());

const O = '/objectstore/store';

describe('object store data plane', () => {
  it('PUT 204 with mo-request-id (UUIDv7); GET 200 with body and metadata; DELETE 204; then Object not found.', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]);
    const put = await call(server, `${O}/images/logo.png`, {
      method: 'PUT',
      key,
      body: png,
      headers: {
        'content-type': 'application/octet-stream',
        'mo-meta-content-type': 'image/png',
        'mo-meta-cache-control': 'max-age=86400',
        'mo-meta-set-cookie': 'a=b',
        'mo-meta-authorization': 'x',
        'mo-meta-access-control-allow-origin': 'evil',
        'mo-tag-env': 'prod',
      },
    });
    expect(put.status).toBe(204);
    expect(put.headers.get('mo-request-id')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const got = await call(server, `${O}/images/logo.png`, { key });
    expect(got.status).toBe(200);
    expect(got.bytes.equals(png)).toBe(true);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('cache-control')).toBe('max-age=86400');
    expect(got.headers.get('set-cookie')).toBeNull();
    expect(got.headers.get('access-control-allow-origin')).toBe('*');
    expect(got.headers.get('env')).toBeNull(); // tags are not returned
    expect((await call(server, `${O}/images/logo.png`, { method: 'DELETE', key })).status).toBe(
      204,
    );
    const miss = await call(server, `${O}/images/logo.png`, { key });
    expect([miss.status, miss.body]).toEqual([404, 'Object not found.']);
    expect((await call(server, `${O}/images/logo.png`, { method: 'DELETE', key })).status).toBe(
      204,
    );
  });

  it('hierarchical keys are distinct objects', async () => {
    await call(server, `${O}/a/b`, { method: 'PUT', key, body: '1' });
    await call(server, `${O}/a/b/c`, { method: 'PUT', key, body: '2' });
    expect((await call(server, `${O}/a/b`, { key })).body).toBe('1');
    expect((await call(server, `${O}/a/b/c`, { key })).body).toBe('2');
    expect((await call(server, `${O}/a`, { key })).status).toBe(404);
  });

  it('unknown store: 404 Store Not Found', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const r = await call(server, '/objectstore/nope/k', {
        method,
        key,
        body: method === 'PUT' ? 'x' : undefined,
      });
      expect([r.status, r.body]).toEqual([404, 'Store Not Found']);
    }
  });

  it('header auth only: token= is ignored (401)', async () => {
    expect((await call(server, `${O}/k?token=${encodeURIComponent(key)}`)).status).toBe(401);
  });

  it('optional TTL: objects expire; ephemeral defaults to and caps at 10 minutes; invalid TTL 400', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      await call(server, `${O}/ttl?ttl_seconds=5`, { method: 'PUT', key, body: 'x' });
      await call(server, `${O}/forever`, { method: 'PUT', key, body: 'x' });
      await call(server, `${O}/eph`, {
        method: 'PUT',
        key,
        body: 'x',
        headers: { 'mo-persistence': 'ephemeral' },
      });
      vi.setSystemTime(Date.now() + 6000);
      expect((await call(server, `${O}/ttl`, { key })).status).toBe(404);
      expect((await call(server, `${O}/eph`, { key })).status).toBe(200);
      vi.setSystemTime(Date.now() + 600_000);
      expect((await call(server, `${O}/eph`, { key })).status).toBe(404);
      expect((await call(server, `${O}/forever`, { key })).status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
    const eph = { 'mo-persistence': 'ephemeral' };
    expect(
      (
        await call(server, `${O}/e?ttl_seconds=601`, {
          method: 'PUT',
          key,
          body: 'x',
          headers: eph,
        })
      ).status,
    ).toBe(400);
    expect(
      (await call(server, `${O}/e?ttl_seconds=0`, { method: 'PUT', key, body: 'x' })).status,
    ).toBe(400);
    expect(
      (
        await call(server, `${O}/e`, {
          method: 'PUT',
          key,
          body: 'x',
          headers: { 'mo-persistence': 'x' },
        })
      ).status,
    ).toBe(400);
  });

  it('invalid tags are 400 (S3 constraints)', async () => {
    const tags = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`mo-tag-t${i}`, 'v']));
    expect(
      (await call(server, `${O}/t`, { method: 'PUT', key, body: 'x', headers: tags })).status,
    ).toBe(400);
    expect(
      (
        await call(server, `${O}/t`, {
          method: 'PUT',
          key,
          body: 'x',
          headers: { [`mo-tag-${'k'.repeat(129)}`]: 'v' },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await call(server, `${O}/t`, {
          method: 'PUT',
          key,
          body: 'x',
          headers: { 'mo-tag-a': 'bad#' },
        })
      ).status,
    ).toBe(400);
  });

  it('OPTIONS preflight is 204 with CORS headers', async () => {
    const r = await call(server, `${O}/anything`, { method: 'OPTIONS' });
    expect(r.status).toBe(204);
    expect(r.headers.get('access-control-allow-methods')).toBe('GET, PUT, DELETE, OPTIONS, HEAD');
  });

  it('readonly keys cannot write objects, writeonly cannot read', async () => {
    const ro = server.createApiKey({ role: 'readonly', objectStore: 'store' });
    const wo = server.createApiKey({ role: 'writeonly', objectStore: 'store' });
    expect((await call(server, `${O}/r`, { method: 'PUT', key: ro, body: 'x' })).status).toBe(403);
    expect((await call(server, `${O}/r`, { method: 'PUT', key: wo, body: 'x' })).status).toBe(204);
    expect((await call(server, `${O}/r`, { key: wo })).status).toBe(403);
    expect((await call(server, `${O}/r`, { key: ro })).status).toBe(200);
  });
});
