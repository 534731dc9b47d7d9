import { eventually, RecordingStore } from '@momento-http/test-kit';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { CacheOperation } from '../src/index';
import { cachedApp, fileBackend, frameworks, startBackend } from './support';

const { backend, store } = await fileBackend();

const PUBLIC = 'public, max-age=60';

describe.each(frameworks)('when the cache fails ($name)', ({ express }) => {
  function app(s: RecordingStore, options = {}) {
    const errors: CacheOperation[] = [];
    let calls = 0;
    const built = cachedApp(
      express,
      s,
      { onError: (_e: unknown, op: CacheOperation) => errors.push(op), ...options },
      (a) =>
        a.get('/r', (_req, res) => {
          calls++;
          res.set('Cache-Control', PUBLIC).send(`r${calls}`);
        }),
    );
    return { ...built, errors, calls: () => calls };
  }

  it('a slow cache read is a miss after readTimeoutMs, not a slow page', async () => {
    const { app: server, errors } = app(store, { readTimeoutMs: 100 });
    // A read slower than any loaded machine: the bound tells "gave up" from "waited".
    backend.server.faults.add({ path: '/cache', method: 'GET', delayMs: 10_000 });
    try {
      const started = Date.now();
      const res = await request(server).get('/r');
      expect([res.status, res.text, res.headers['x-cache']]).toEqual([200, 'r1', 'MISS']);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(errors).toContain('read');
    } finally {
      backend.server.faults.clear();
    }
  });

  it('a cache answering 5xx: reads are misses, write errors go to onError, the page is served', async () => {
    const { app: server, errors, calls } = app(store);
    backend.server.faults.add({ path: '/cache', status: 503 });
    try {
      const first = await request(server).get('/r');
      await store.idle();
      const second = await request(server).get('/r');
      expect([first.status, second.status, calls()]).toEqual([200, 200, 2]);
      expect(errors).toEqual(expect.arrayContaining(['read', 'write']));
    } finally {
      backend.server.faults.clear();
    }
  });

  it('a cache that is down (server closed) never fails a request', async () => {
    const down = await startBackend();
    const downStore = new RecordingStore(down.store({ timeoutMs: 500 }));
    await down.close();
    const { app: server, errors } = app(downStore);
    const res = await request(server).get('/r');
    expect([res.status, res.text]).toEqual([200, 'r1']);
    await downStore.idle();
    expect(errors).toEqual(expect.arrayContaining(['read', 'write']));
  });

  it('the circuit breaker stops asking a failing cache, then tries again after cooldownMs', async () => {
    const { app: server } = app(store, { circuitBreaker: { failures: 2, cooldownMs: 300 } });
    backend.server.faults.add({ path: '/cache', status: 503 });
    try {
      await request(server).get('/r');
      await request(server).get('/r');
      await store.idle();
      const [gets, sets] = [store.gets.length, store.sets.length];
      const open = await request(server).get('/r');
      await store.idle();
      expect([open.status, open.text]).toEqual([200, 'r3']);
      expect([store.gets.length, store.sets.length]).toEqual([gets, sets]); // not asked, not written
      await eventually(async () => {
        await request(server).get('/r');
        return store.gets.length > gets;
      });
    } finally {
      backend.server.faults.clear();
    }
  });

  it('garbage under a key reads as a miss', async () => {
    const built = app(store, { keyPrefix: 'garbage|' });
    const port = (built.app.address() as { port: number }).port;
    await store.set(`garbage|GET|http://127.0.0.1:${port}/r`, 'not an envelope', {
      ttlSeconds: 60,
    });
    const res = await request(built.app).get('/r');
    expect([res.status, res.text, res.headers['x-cache']]).toEqual([200, 'r1', 'MISS']);
  });

  it('a throwing keyGenerator or skip passes the request through', async () => {
    const { app: server, errors } = app(store, {
      keyGenerator: () => {
        throw new Error('bug');
      },
    });
    expect((await request(server).get('/r')).status).toBe(200);
    expect(errors).toEqual(['read']);
  });
});

describe.each(frameworks)('near cache ($name)', ({ express }) => {
  it('serves repeated hits from memory, without a cache round trip', async () => {
    let calls = 0;
    const { app } = cachedApp(express, store, { nearCache: { ttlMs: 60_000 } }, (a) =>
      a.get('/n', (_req, res) => {
        calls++;
        res.set('Cache-Control', PUBLIC).send('n');
      }),
    );
    await request(app).get('/n');
    await store.idle();
    const gets = store.gets.length;
    for (let i = 0; i < 5; i++)
      expect((await request(app).get('/n')).headers['x-cache']).toBe('HIT');
    expect(store.gets.length).toBe(gets);
    expect(calls).toBe(1);
  });
});
