import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { call, start } from './helpers.js';

/** One test per row of DESIGN.md's table of undocumented cases (binding for the server). */
let server: RunningServer;
let key: string;
beforeAll(async () => {
  server = await start({ maxItemBytes: 1024, rateLimit: { opsPerSecond: 1000 } });
  key = server.createApiKey();
});
afterAll(() => server.close());

const C = '/cache/default-cache';

describe('DESIGN.md table', () => {
  it('both key and key_base64, neither, empty key, bad base64url: 400', async () => {
    for (const q of [
      'key=a&key_base64=YQ',
      '',
      'key=',
      'key_base64=',
      'key_base64=%%%',
      'key_base64=a',
      'key_base64=YQ=',
      'key=a&key=b',
    ]) {
      const r = await call(server, `${C}?${q}`, { key });
      expect(r.status, q).toBe(400);
      expect(r.body.length, q).toBeGreaterThan(0);
    }
  });

  it('key over 4096 bytes: 400 (4096 is fine)', async () => {
    expect((await call(server, `${C}?key=${'k'.repeat(4096)}`, { key })).status).toBe(404);
    const r = await call(server, `${C}?key=${'k'.repeat(4097)}`, { key });
    expect(r.status).toBe(400);
    // bytes, not characters: 2049 two-byte characters are 4098 bytes
    expect(
      (await call(server, `${C}?key=${encodeURIComponent('é'.repeat(2049))}`, { key })).status,
    ).toBe(400);
  });

  it('PUT without ttl_seconds, or not an integer in 1..max: 400', async () => {
    for (const ttl of [
      undefined,
      '0',
      '-1',
      '1.5',
      'abc',
      '',
      '86401',
      '1e3',
      ' 5',
      '99999999999',
    ]) {
      const q = ttl === undefined ? 'key=t' : `key=t&ttl_seconds=${ttl}`;
      const r = await call(server, `${C}?${q}`, { method: 'PUT', key, body: 'x' });
      expect(r.status, String(ttl)).toBe(400);
      expect(r.body).toMatch(/ttl_seconds/);
    }
    expect(
      (await call(server, `${C}?key=t&ttl_seconds=86400`, { method: 'PUT', key, body: 'x' }))
        .status,
    ).toBe(204);
    expect(
      (await call(server, `${C}?key=t&ttl_seconds=1`, { method: 'PUT', key, body: 'x' })).status,
    ).toBe(204);
  });

  it('token both in header and token=: 400', async () => {
    const r = await call(server, `${C}?key=a&token=${key}`, { key });
    expect(r.status).toBe(400);
  });

  it('no token: 401; token= works on the cache API only', async () => {
    expect((await call(server, `${C}?key=a`)).status).toBe(401);
    expect((await call(server, `${C}?key=a&token=${encodeURIComponent(key)}`)).status).toBe(404);
    expect((await call(server, `/objectstore?token=${encodeURIComponent(key)}`)).status).toBe(401);
    expect((await call(server, `/ec-cluster?token=${encodeURIComponent(key)}`)).status).toBe(401);
  });

  it('unknown cache: 404 Cache Not Found, checked before the key', async () => {
    const r = await call(server, '/cache/missing?key_base64=%%%', { key });
    expect([r.status, r.body]).toEqual([404, 'Cache Not Found']);
  });

  it('cache miss: 404 Key Not Found; DELETE of a missing key is 204', async () => {
    expect((await call(server, `${C}?key=zz`, { key })).body).toBe('Key Not Found');
    expect((await call(server, `${C}?key=zz`, { key, method: 'DELETE' })).status).toBe(204);
  });

  it('item (key + value) over the limit: 413, by Content-Length or while streaming', async () => {
    // limit 1024: key 'big' (3 bytes) + 1021 fits, 1022 does not
    expect(
      (
        await call(server, `${C}?key=big&ttl_seconds=5`, {
          method: 'PUT',
          key,
          body: 'x'.repeat(1021),
        })
      ).status,
    ).toBe(204);
    expect(
      (
        await call(server, `${C}?key=big&ttl_seconds=5`, {
          method: 'PUT',
          key,
          body: 'x'.repeat(1022),
        })
      ).status,
    ).toBe(413);
    const chunks = Array.from({ length: 1000 }, () => new Uint8Array(64 * 1024));
    const body = new ReadableStream({
      pull(c) {
        const next = chunks.pop();
        if (next) c.enqueue(next);
        else c.close();
      },
    });
    const r = await call(server, `${C}?key=big&ttl_seconds=5`, {
      method: 'PUT',
      key,
      body,
      duplex: 'half',
    } as RequestInit);
    expect(r.status).toBe(413);
    // 64 MB offered: the server answered and closed long before reading it all
    expect(chunks.length).toBeGreaterThan(500);
  });

  it('rate limit: 429 with Retry-After', async () => {
    const limited = await start({ rateLimit: { opsPerSecond: 1, burst: 2 } });
    const k = limited.createApiKey();
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const r = await call(limited, `${C}?key=a`, { key: k });
      statuses.push(r.status);
      if (r.status === 429) retryAfter = r.headers.get('retry-after');
    }
    await limited.close();
    expect(statuses.slice(0, 2)).toEqual([404, 404]);
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it('wrong method: 405 with Allow', async () => {
    for (const method of ['POST', 'PATCH', 'HEAD', 'OPTIONS']) {
      const r = await call(server, `${C}?key=a`, { method, key });
      expect(r.status, method).toBe(405);
      expect(r.headers.get('allow')).toBe('GET, PUT, DELETE');
    }
  });
});
