import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { call, start } from './helpers.js';

let server: RunningServer;
let key: string;
beforeAll(async () => {
  server = await start({ caches: ['default-cache', 'other'] });
  key = server.createApiKey();
});
afterAll(() => server.close());
afterEach(() => vi.useRealTimers());

const C = '/cache/default-cache';

describe('cache API: documented behaviour', () => {
  it('PUT 204, GET 200 octet-stream with the bytes, DELETE 204, then 404 Key Not Found', async () => {
    expect(
      (await call(server, `${C}?key=k1&ttl_seconds=60`, { method: 'PUT', key, body: 'v1' })).status,
    ).toBe(204);
    const hit = await call(server, `${C}?key=k1`, { key });
    expect(hit.status).toBe(200);
    expect(hit.body).toBe('v1');
    expect(hit.headers.get('content-type')).toBe('application/octet-stream');
    expect((await call(server, `${C}?key=k1`, { method: 'DELETE', key })).status).toBe(204);
    const miss = await call(server, `${C}?key=k1`, { key });
    expect([miss.status, miss.body]).toEqual([404, 'Key Not Found']);
  });

  it('DELETE of a missing key is 204', async () => {
    expect((await call(server, `${C}?key=never-set`, { method: 'DELETE', key })).status).toBe(204);
  });

  it('binary keys and values round-trip through key_base64, padded or not, url or standard alphabet', async () => {
    const value = Buffer.from([0, 255, 1, 254, 10, 13]);
    const bin = Buffer.from([0xfb, 0xff, 0x00, 0x3e]);
    const url = bin.toString('base64url'); // '-_8APg'
    await call(server, `${C}?key_base64=${url}&ttl_seconds=60`, {
      method: 'PUT',
      key,
      body: value,
    });
    for (const form of [url, bin.toString('base64'), encodeURIComponent(bin.toString('base64'))]) {
      const hit = await call(server, `${C}?key_base64=${form}`, { key });
      expect(hit.status, form).toBe(200);
      expect(hit.bytes.equals(value)).toBe(true);
    }
    // key_base64 and key address the same bytes.
    await call(server, `${C}?key_base64=ZXhhbXBsZV9rZXk&ttl_seconds=60`, {
      method: 'PUT',
      key,
      body: 'x',
    });
    expect((await call(server, `${C}?key=example_key`, { key })).body).toBe('x');
  });

  it('unknown cache is 404 Cache Not Found for every method, checked before the key', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const r = await call(server, '/cache/nope?ttl_seconds=5', {
        method,
        key,
        body: method === 'PUT' ? 'x' : undefined,
      });
      expect([r.status, r.body]).toEqual([404, 'Cache Not Found']);
    }
  });

  it('ignores unknown query parameters and the Content-Type of a PUT (as the SDK tests do)', async () => {
    const r = await call(server, `${C}?key=j&ttl_seconds=60&value=zzz`, {
      method: 'PUT',
      key,
      body: '{"a":1}',
      headers: { 'content-type': 'application/json' },
    });
    expect(r.status).toBe(204);
    expect((await call(server, `${C}?key=j`, { key })).body).toBe('{"a":1}');
  });

  it('caches are separate namespaces', async () => {
    await call(server, `${C}?key=same&ttl_seconds=60`, { method: 'PUT', key, body: 'a' });
    expect((await call(server, '/cache/other?key=same', { key })).status).toBe(404);
  });

  it('an expired item is never served (TTL to the second)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    await call(server, `${C}?key=ttl&ttl_seconds=2`, { method: 'PUT', key, body: 'x' });
    vi.setSystemTime(Date.now() + 1999);
    expect((await call(server, `${C}?key=ttl`, { key })).status).toBe(200);
    vi.setSystemTime(Date.now() + 1);
    expect((await call(server, `${C}?key=ttl`, { key })).body).toBe('Key Not Found');
  });

  it('an overwrite replaces value and TTL', async () => {
    await call(server, `${C}?key=ow&ttl_seconds=60`, { method: 'PUT', key, body: 'first' });
    await call(server, `${C}?key=ow&ttl_seconds=60`, { method: 'PUT', key, body: 'second' });
    expect((await call(server, `${C}?key=ow`, { key })).body).toBe('second');
  });

  it('an empty value is stored and read back as empty', async () => {
    await call(server, `${C}?key=empty&ttl_seconds=60`, { method: 'PUT', key, body: '' });
    const hit = await call(server, `${C}?key=empty`, { key });
    expect([hit.status, hit.body]).toEqual([200, '']);
  });
});

describe('caches', () => {
  it('default-cache exists by default; configured caches replace it', async () => {
    const only = await start({ caches: ['a', 'b'] });
    const k = only.createApiKey();
    expect((await call(only, '/cache/a?key=x', { key: k })).body).toBe('Key Not Found');
    expect((await call(only, '/cache/default-cache?key=x', { key: k })).body).toBe(
      'Cache Not Found',
    );
    await only.close();
  });

  it('autoCreateCaches creates a cache on first use, and still refuses invalid names', async () => {
    const auto = await start({ autoCreateCaches: true });
    const k = auto.createApiKey();
    expect(
      (await call(auto, '/cache/fresh?key=x&ttl_seconds=5', { method: 'PUT', key: k, body: 'v' }))
        .status,
    ).toBe(204);
    expect((await call(auto, '/cache/fresh?key=x', { key: k })).body).toBe('v');
    expect(
      (await call(auto, `/cache/${encodeURIComponent('bad name')}?key=x`, { key: k })).status,
    ).toBe(400);
    await auto.close();
  });
});
