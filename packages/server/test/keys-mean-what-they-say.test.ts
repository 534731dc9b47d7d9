import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/index.js';
import { call, start } from './helpers.js';

let server: RunningServer;
let admin: string;
beforeAll(async () => {
  server = await start({ caches: ['cache-a', 'cache-b'], clusterActivationMs: 1 });
  admin = server.createApiKey();
  const json = (body: object) => ({
    key: admin,
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
  await call(server, '/ec-cluster', {
    method: 'POST',
    ...json({
      name: 'c1',
      node_instance_type: 'cache.t4g.micro',
      shard_count: 1,
      replication_factor: 0,
      enforce_shard_multi_az: false,
    }),
  });
  for (const store of ['store-a', 'store-b']) {
    const created = await call(server, `/objectstore/${store}`, {
      method: 'PUT',
      ...json({
        storage_config: { s3: { bucket_name: 'b', iam_role_arn: 'arn:aws:iam::1:role/r' } },
        cache_config: { valkey_cluster: { cluster_name: 'c1' } },
      }),
    });
    expect(created.status, created.body).toBe(201);
    await call(server, `/objectstore/${store}/img/logo`, { method: 'PUT', key: admin, body: 'x' });
  }
});
afterAll(() => server.close());

const getObject = (key: string, store = 'store-a', path = 'img/logo') =>
  call(server, `/objectstore/${store}/${path}`, { key });
const putObject = (key: string, store = 'store-a', path = 'img/logo') =>
  call(server, `/objectstore/${store}/${path}`, { method: 'PUT', key, body: 'overwritten' });

describe('object stores need a super-user key or a key that names the store', () => {
  it('a key scoped to a cache, or to a key prefix, opens no object store', async () => {
    const cacheKey = server.createApiKey({ role: 'readwrite', cache: 'cache-a' });
    const prefixKey = server.createApiKey({ role: 'readonly', keyPrefix: 'img/' });
    const everyCache = server.createApiKey({ role: 'readwrite' });
    for (const key of [cacheKey, prefixKey, everyCache]) {
      const read = await getObject(key);
      expect(read.status).toBe(403);
      expect(read.body).toMatch(/object store 'store-a'.*super-user key or a key that names/);
      expect((await putObject(key)).status).toBe(403);
    }
    expect((await getObject(admin)).body).toBe('x');
  });

  it('a key that names a store opens that store only, with its role and prefix, and no cache', async () => {
    const storeKey = server.createApiKey({ role: 'readwrite', objectStore: 'store-a' });
    expect((await putObject(storeKey)).status).toBe(204);
    expect((await getObject(storeKey)).body).toBe('overwritten');
    expect((await getObject(storeKey, 'store-b')).status).toBe(403);
    expect((await getObject(storeKey, 'no-such-store')).status).toBe(403);
    const cache = await call(server, '/cache/cache-a?key=k', { key: storeKey });
    expect(cache.status).toBe(403);

    const readOnly = server.createApiKey({ role: 'readonly', objectStore: 'store-a' });
    expect((await getObject(readOnly)).status).toBe(200);
    expect((await putObject(readOnly)).status).toBe(403);
    expect(
      (await call(server, '/objectstore/store-a/img/logo', { method: 'DELETE', key: readOnly }))
        .status,
    ).toBe(403);

    const prefixed = server.createApiKey({
      role: 'readwrite',
      objectStore: 'store-a',
      keyPrefix: 'img/',
    });
    expect((await getObject(prefixed)).status).toBe(200);
    expect((await putObject(prefixed, 'store-a', 'docs/readme')).status).toBe(403);
  });

  it('a key cannot name both a cache and a store, nor be super-user and scoped', () => {
    expect(() =>
      server.createApiKey({ role: 'readwrite', cache: 'cache-a', objectStore: 'store-a' }),
    ).toThrow(/either one cache or one object store/);
    expect(() => server.createApiKey({ superUser: true, objectStore: 'store-a' })).toThrow(
      /super-user/,
    );
  });
});

describe('signatures: the canonical encoding only', () => {
  const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  /** The last character's two low bits carry nothing for a 32-byte HMAC: flip one of them. */
  const sameBits = (key: string) => {
    const last = key.at(-1)!;
    return key.slice(0, -1) + B64URL[B64URL.indexOf(last) ^ 1];
  };

  it('refuses every altered spelling of a good signature', async () => {
    const good = server.createApiKey();
    const mid = good.lastIndexOf('.') + 10;
    const altered = {
      bang: `${good}!`,
      padded: `${good}=`,
      sameDecodedBits: sameBits(good),
      tildeInside: `${good.slice(0, mid)}~${good.slice(mid)}`,
    };
    expect(Buffer.from(altered.sameDecodedBits.split('.')[2]!, 'base64url')).toEqual(
      Buffer.from(good.split('.')[2]!, 'base64url'),
    );
    expect((await call(server, '/cache/cache-a?key=k', { key: good })).status).toBe(404);
    for (const [name, key] of Object.entries(altered)) {
      const r = await call(server, '/cache/cache-a?key=k', { key });
      expect([name, r.status]).toEqual([name, 401]);
    }
  });
});

describe('a restart with another secret', () => {
  it('answers 401 saying the signing secret changed', async () => {
    const before = await startServer({ port: 0 });
    const key = before.createApiKey();
    await before.close();
    const r = await call(server, '/cache/cache-a?key=k', { key });
    expect(r.status).toBe(401);
    expect(r.body).toMatch(/signed with another secret.*signing secret changed/);
    expect(r.body).toMatch(/--data-dir or --secret/);
  });

  it('a forged key without the secret id gets the plain answer', async () => {
    const [h, p] = server.createApiKey().split('.');
    const r = await call(server, '/cache/cache-a?key=k', { key: `${h}.${p}.${'A'.repeat(43)}` });
    expect([r.status, r.body]).toEqual([401, 'Invalid API key signature']);
  });
});

/** Sends raw bytes and resolves everything the server wrote before it closed. */
function raw(request: string): Promise<string> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(request));
    socket.on('data', (d) => (answer += d));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('requests node would answer with nothing, or with an empty 400', () => {
  it('CONNECT gets a 405 in text', async () => {
    const answer = await raw('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n/);
    expect(answer).toMatch(/content-type: text\/plain/i);
    expect(answer).toMatch(/\r\nallow: GET, HEAD, PUT, POST, DELETE, OPTIONS\r\n/);
    expect(answer).toMatch(/\r\n\r\nCONNECT is not supported: this is not a proxy$/);
  });

  it('an HTTP/1.1 request without Host gets a 400 that says so', async () => {
    const answer = await raw('GET /healthz HTTP/1.1\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toMatch(/content-type: text\/plain/i);
    expect(answer).toMatch(/\r\n\r\nBad Request: the Host header is required$/);
  });
});
