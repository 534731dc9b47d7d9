import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { call, start } from './helpers.js';

let server: RunningServer;
let key: string;
beforeAll(async () => {
  server = await start({ faults: true });
  key = server.createApiKey();
});
afterAll(() => server.close());

const get = () => call(server, '/cache/default-cache?key=a', { key });

describe('fault injection', () => {
  it('forces a status for `count` requests on a path prefix, then retires', async () => {
    server.faults.add({ path: '/cache/', status: 503, count: 2 });
    expect((await get()).status).toBe(503);
    expect((await get()).status).toBe(503);
    expect((await get()).status).toBe(404);
  });

  it('matches RegExp paths and methods; clear() removes every rule', async () => {
    server.faults.add({ path: /^\/cache\/default/, method: 'PUT', status: 500 });
    expect((await get()).status).toBe(404);
    const put = await call(server, '/cache/default-cache?key=a&ttl_seconds=5', {
      method: 'PUT',
      key,
      body: 'x',
    });
    expect(put.status).toBe(500);
    server.faults.clear();
    expect(
      (
        await call(server, '/cache/default-cache?key=a&ttl_seconds=5', {
          method: 'PUT',
          key,
          body: 'x',
        })
      ).status,
    ).toBe(204);
  });

  it('adds latency', async () => {
    server.faults.add({ path: '/cache/', delayMs: 150, count: 1 });
    const started = Date.now();
    expect((await get()).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('resets the connection', async () => {
    server.faults.add({ path: '/cache/', reset: true, count: 1 });
    await expect(get()).rejects.toThrow();
    expect((await get()).status).toBe(200);
  });

  it('percent 0 never fires; percent 100 always fires', async () => {
    server.faults.add({ path: '/cache/', status: 500, percent: 0 });
    for (let i = 0; i < 5; i++) expect((await get()).status).toBe(200);
    server.faults.clear();
    server.faults.add({ path: '/cache/', status: 429, percent: 100, count: 3 });
    const statuses = [(await get()).status, (await get()).status, (await get()).status];
    expect(statuses).toEqual([429, 429, 429]);
  });

  it('over HTTP: POST /_faults and DELETE /_faults, super-user only', async () => {
    const rule = JSON.stringify({ path: { regex: '^/cache/' }, status: 502, count: 1 });
    const readwrite = server.createApiKey({ role: 'readwrite' });
    expect(
      (await call(server, '/_faults', { method: 'POST', key: readwrite, body: rule })).status,
    ).toBe(403);
    expect((await call(server, '/_faults', { method: 'POST', body: rule })).status).toBe(401);
    expect((await call(server, '/_faults', { method: 'POST', key, body: rule })).status).toBe(201);
    expect((await get()).status).toBe(502);
    await call(server, '/_faults', {
      method: 'POST',
      key,
      body: JSON.stringify({ path: '/cache/', status: 500 }),
    });
    expect((await call(server, '/_faults', { method: 'DELETE', key })).status).toBe(204);
    expect((await get()).status).toBe(200);
    for (const bad of ['{', '{}', '{"status":99}', '{"status":500,"percent":101}', '[]']) {
      expect((await call(server, '/_faults', { method: 'POST', key, body: bad })).status, bad).toBe(
        400,
      );
    }
  });

  it('is off unless enabled: /_faults is 404 and server.faults throws', async () => {
    const plain = await start();
    expect(
      (await call(plain, '/_faults', { method: 'POST', key: plain.createApiKey(), body: '{}' }))
        .status,
    ).toBe(404);
    expect(() => plain.faults.add({ status: 500 })).toThrow(/disabled/);
    await plain.close();
  });
});

describe('fault delays and shutdown', () => {
  it('close() does not wait for an injected delay', async () => {
    const slow = await start({ faults: true });
    slow.faults.add({ path: '/cache', delayMs: 60_000 });
    const pending = call(slow, '/cache/default-cache?key=a', { key: slow.createApiKey() }).catch(
      (e) => e,
    );
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await slow.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error); // the connection was dropped
  });
});
