import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RunningServer, startServer, toV1Key } from '../src/index.js';
import { call, start } from './helpers.js';

let server: RunningServer;
beforeAll(async () => {
  server = await start({ caches: ['default-cache', 'other'] });
});
afterAll(() => server.close());

const C = '/cache/default-cache';
const put = (key: string, cache = 'default-cache', k = 'x') =>
  call(server, `/cache/${cache}?key=${k}&ttl_seconds=60`, { method: 'PUT', key, body: 'v' });
const get = (key: string, cache = 'default-cache', k = 'x') =>
  call(server, `/cache/${cache}?key=${k}`, { key });

/** A JWT signed with some secret, claims as given. */
const forge = (claims: object, secret = 'not-the-server-secret', alg = 'HS256') => {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = `${b64({ alg, typ: 'JWT' })}.${b64(claims)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
};

describe('authentication (401)', () => {
  it('refuses missing, malformed, forged, alg-switched and tampered keys', async () => {
    const good = server.createApiKey();
    const [h, p] = good.split('.');
    const superClaims = Buffer.from(JSON.stringify({ t: 'g', p: { su: true } })).toString(
      'base64url',
    );
    const cases = {
      missing: undefined,
      empty: '',
      garbage: 'hello',
      twoParts: `${h}.${p}`,
      forged: forge({ t: 'g', p: { su: true } }),
      algNone: `${Buffer.from('{"alg":"none"}').toString('base64url')}.${superClaims}.`,
      tampered: `${h}.${superClaims}.${good.split('.')[2]}`,
      bearer: `Bearer ${good}`,
    };
    for (const [name, key] of Object.entries(cases)) {
      const r = await get(key as string);
      expect(r.status, name).toBe(401);
      expect(r.body.length, name).toBeGreaterThan(0);
    }
  });

  it('refuses an expired key, and accepts it until then', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const key = server.createApiKey({ expiresInSeconds: 10 });
      expect((await get(key)).status).toBe(404);
      vi.setSystemTime(Date.now() + 11_000);
      const r = await get(key);
      expect([r.status, r.body]).toEqual([401, 'API key has expired']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('accepts the v1 form base64({api_key, endpoint}), in the header and as token=', async () => {
    const v1 = toV1Key(server.createApiKey(), '127.0.0.1');
    expect((await put(v1)).status).toBe(204);
    expect((await call(server, `${C}?key=x&token=${encodeURIComponent(v1)}`)).status).toBe(200);
  });

  it('keys from another server (another secret) are refused', async () => {
    const other = await startServer({ port: 0 });
    const foreign = other.createApiKey();
    await other.close();
    expect((await get(foreign)).status).toBe(401);
  });
});

describe('authorization (403)', () => {
  it('readonly reads but cannot write; writeonly writes but cannot read', async () => {
    const ro = server.createApiKey({ role: 'readonly' });
    const wo = server.createApiKey({ role: 'writeonly' });
    expect((await put(wo)).status).toBe(204);
    expect((await get(ro)).status).toBe(200);
    expect((await put(ro)).status).toBe(403);
    expect((await call(server, `${C}?key=x`, { method: 'DELETE', key: ro })).status).toBe(403);
    expect((await get(wo)).status).toBe(403);
  });

  it('a key for one cache is refused on another (403 before 404, no existence leak)', async () => {
    const scoped = server.createApiKey({ role: 'readwrite', cache: 'other' });
    expect((await put(scoped, 'other')).status).toBe(204);
    expect((await put(scoped)).status).toBe(403);
    expect((await get(scoped, 'no-such-cache')).status).toBe(403);
  });

  it('a key prefix limits keys by bytes', async () => {
    const scoped = server.createApiKey({ role: 'readwrite', keyPrefix: 'user:1:' });
    expect((await put(scoped, 'default-cache', 'user:1:name')).status).toBe(204);
    expect((await put(scoped, 'default-cache', 'user:2:name')).status).toBe(403);
    expect((await put(scoped, 'default-cache', 'user:1')).status).toBe(403);
  });

  it('the control plane needs a super-user key', async () => {
    const rw = server.createApiKey({ role: 'readwrite' });
    expect((await call(server, '/ec-cluster', { key: rw })).status).toBe(403);
    expect((await call(server, '/objectstore', { key: rw })).status).toBe(403);
    expect((await call(server, '/ec-cluster', { key: server.createApiKey() })).status).toBe(200);
  });
});

describe('devKey', () => {
  it('is a super-user key on loopback, and refused on any other host', async () => {
    const dev = await startServer({ port: 0, devKey: 'dev-key-1234' });
    expect((await call(dev, `${C}?key=a`, { key: 'dev-key-1234' })).status).toBe(404);
    expect((await call(dev, `${C}?key=a`, { key: 'dev-key-1235' })).status).toBe(401);
    await dev.close();
    await expect(startServer({ port: 0, host: '0.0.0.0', devKey: 'dev-key-1234' })).rejects.toThrow(
      /loopback/,
    );
  });
});
