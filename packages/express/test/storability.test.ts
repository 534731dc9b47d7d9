import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { responseCache } from '../src/index';
import { cachedApp, fileBackend, frameworks, listen, uniquePrefix } from './support';

const { store } = await fileBackend();

describe.each(frameworks)('what is never stored ($name)', ({ express }) => {
  /** Calls GET twice and returns the second response and the origin call count. */
  async function twice(
    headers: Record<string, string>,
    reqHeaders: [Record<string, string>, Record<string, string>] = [{}, {}],
    status = 200,
  ) {
    let calls = 0;
    const { app } = cachedApp(express, store, {}, (a) =>
      a.get('/r', (_req, res) => {
        calls++;
        res.status(status).set(headers).send(`body ${calls}`);
      }),
    );
    await request(app).get('/r').set(reqHeaders[0]);
    await store.idle();
    const second = await request(app).get('/r').set(reqHeaders[1]);
    return { second, calls };
  }

  it('stores a public response and serves it with X-Cache: HIT', async () => {
    const { second, calls } = await twice({ 'Cache-Control': 'public, max-age=60' });
    expect(calls).toBe(1);
    expect(second.text).toBe('body 1');
    expect(second.headers['x-cache']).toBe('HIT');
  });

  it('never serves a POST response to a GET (apicache does)', async () => {
    const { app } = cachedApp(express, store, {}, (a) => {
      a.post('/r', (_req, res) => res.set('Cache-Control', 'public, max-age=60').send('from POST'));
      a.get('/r', (_req, res) => res.set('Cache-Control', 'public, max-age=60').send('from GET'));
    });
    expect((await request(app).post('/r')).text).toBe('from POST');
    await store.idle();
    expect((await request(app).get('/r')).text).toBe('from GET');
  });

  it('never stores or replays Set-Cookie (apicache does), even when public', async () => {
    const { second, calls } = await twice({
      'Cache-Control': 'public, max-age=60',
      'Set-Cookie': 'session=alice',
    });
    expect(calls).toBe(2);
    expect(second.headers['set-cookie']).toEqual(['session=alice']);
    expect(second.text).toBe('body 2');
  });

  it('never serves an Authorization-protected response to another user (apicache does)', async () => {
    let calls = 0;
    const { app } = cachedApp(express, store, {}, (a) =>
      a.get('/me', (req, res) => {
        calls++;
        res.set('Cache-Control', 'max-age=60').send(`hello ${req.headers.authorization}`);
      }),
    );
    await request(app).get('/me').set('Authorization', 'alice');
    await store.idle();
    const bob = await request(app).get('/me').set('Authorization', 'bob');
    expect(bob.text).toBe('hello bob');
    expect(calls).toBe(2);
  });

  it('stores an authorized response that says public, s-maxage or must-revalidate', async () => {
    for (const cc of ['public, max-age=60', 's-maxage=60', 'must-revalidate, max-age=60']) {
      const { calls } = await twice({ 'Cache-Control': cc }, [
        { Authorization: 'a' },
        { Authorization: 'a' },
      ]);
      expect(calls, cc).toBe(1);
    }
  });

  it('does not store private, no-store, no-cache or Vary: * responses, and keeps their headers (apicache overwrites no-store)', async () => {
    for (const headers of <Record<string, string>[]>[
      { 'Cache-Control': 'private, max-age=60' },
      { 'Cache-Control': 'no-store' },
      { 'Cache-Control': 'no-store, private' },
      { 'Cache-Control': 'no-cache, max-age=60' },
      { 'Cache-Control': 'public, max-age=60', Vary: '*' },
    ]) {
      const { second, calls } = await twice(headers);
      expect(calls, JSON.stringify(headers)).toBe(2);
      expect(second.headers['cache-control']).toBe(headers['Cache-Control']);
      expect(second.headers['x-cache']).toBe('MISS');
    }
  });

  it('does not store a response to a request that says no-store, but may serve one stored before', async () => {
    const { calls } = await twice({ 'Cache-Control': 'public, max-age=60' }, [
      { 'Cache-Control': 'no-store' },
      {},
    ]);
    expect(calls).toBe(2);
    const served = await twice({ 'Cache-Control': 'public, max-age=60' }, [
      {},
      { 'Cache-Control': 'no-store' },
    ]);
    expect(served.calls).toBe(1);
  });

  it('needs explicit freshness: no Cache-Control, or only Last-Modified, is not stored', async () => {
    expect((await twice({})).calls).toBe(2);
    const lastModified = new Date(Date.now() - 10 * 86_400_000).toUTCString();
    expect((await twice({ 'Last-Modified': lastModified })).calls).toBe(2);
  });

  it('uses heuristic freshness only when asked (cacheHeuristic)', async () => {
    let calls = 0;
    const lastModified = new Date(Date.now() - 10 * 86_400_000).toUTCString();
    const { app } = cachedApp(express, store, { cacheHeuristic: 0.1 }, (a) =>
      a.get('/h', (_req, res) => {
        calls++;
        res.set('Last-Modified', lastModified).send('h');
      }),
    );
    await request(app).get('/h');
    await store.idle();
    expect((await request(app).get('/h')).headers['x-cache']).toBe('HIT');
    expect(calls).toBe(1);
  });

  it('freshness: s-maxage beats max-age, max-age beats Expires', async () => {
    const past = new Date(Date.now() - 60_000).toUTCString();
    expect((await twice({ 'Cache-Control': 's-maxage=60, max-age=0' })).calls).toBe(1);
    expect((await twice({ 'Cache-Control': 's-maxage=0, max-age=60' })).calls).toBe(2);
    expect((await twice({ 'Cache-Control': 'max-age=60', Expires: past })).calls).toBe(1);
    expect((await twice({ Expires: past })).calls).toBe(2);
    const future = new Date(Date.now() + 60_000).toUTCString();
    expect((await twice({ Expires: future })).calls).toBe(1);
  });

  it('stores only the configured statuses', async () => {
    expect((await twice({ 'Cache-Control': 'public, max-age=60' }, undefined, 404)).calls).toBe(1);
    expect((await twice({ 'Cache-Control': 'public, max-age=60' }, undefined, 500)).calls).toBe(2);
    let calls = 0;
    const { app } = cachedApp(express, store, { statuses: [200] }, (a) =>
      a.get('/nf', (_req, res) => {
        calls++;
        res.status(404).set('Cache-Control', 'public, max-age=60').send('nope');
      }),
    );
    await request(app).get('/nf');
    await store.idle();
    await request(app).get('/nf');
    expect(calls).toBe(2);
  });

  it('stores any explicitly fresh status below 500 by default, but not who-is-asking answers or 5xx', async () => {
    const fresh = { 'Cache-Control': 'public, max-age=60' };
    for (const status of [299, 400, 418, 499]) {
      expect((await twice(fresh, undefined, status)).calls, String(status)).toBe(1);
    }
    for (const status of [401, 403, 407, 429, 500, 503, 599]) {
      expect((await twice(fresh, undefined, status)).calls, String(status)).toBe(2);
    }
  });

  it('gives heuristic freshness (cacheHeuristic) only to statuses RFC 9110 makes cacheable by default', async () => {
    const calls = new Map<number, number>();
    const { app } = cachedApp(express, store, { cacheHeuristic: 0.1 }, (a) =>
      a.get('/h/:status', (req, res) => {
        const status = Number(req.params.status);
        calls.set(status, (calls.get(status) ?? 0) + 1);
        const lastModified = new Date(Date.now() - 10 * 86_400_000).toUTCString();
        res.status(status).set('Last-Modified', lastModified).send('h');
      }),
    );
    for (const status of [200, 404, 299, 400, 499]) {
      await request(app).get(`/h/${status}`);
      await store.idle();
      await request(app).get(`/h/${status}`);
    }
    expect(Object.fromEntries(calls)).toEqual({ 200: 1, 404: 1, 299: 2, 400: 2, 499: 2 });
  });

  it('stores a 5xx when statuses lists it', async () => {
    let calls = 0;
    const { app } = cachedApp(express, store, { statuses: [500] }, (a) =>
      a.get('/e', (_req, res) => {
        calls++;
        res.status(500).set('Cache-Control', 'public, max-age=60').send('down');
      }),
    );
    await request(app).get('/e');
    await store.idle();
    const second = await request(app).get('/e');
    expect(second.status).toBe(500);
    expect(second.headers['x-cache']).toBe('HIT');
    expect(calls).toBe(1);
  });

  it('keeps a no-cache response with a validator, and asks the origin before every use', async () => {
    let calls = 0;
    const conditional: (string | undefined)[] = [];
    const { app } = cachedApp(express, store, {}, (a) =>
      a.get('/nc', (req, res) => {
        calls++;
        conditional.push(req.headers['if-none-match']);
        res.set('Cache-Control', 'no-cache, max-age=600').set('ETag', '"v1"');
        if (req.headers['if-none-match'] === '"v1"') res.status(304).end();
        else res.send('the body');
      }),
    );
    await request(app).get('/nc');
    await store.idle();
    for (let i = 0; i < 2; i++) {
      const again = await request(app).get('/nc');
      expect(again.status).toBe(200);
      expect(again.text).toBe('the body');
      await store.idle();
    }
    // Every use went to the origin, each time as a conditional request after the first.
    expect(calls).toBe(3);
    expect(conditional).toEqual([undefined, '"v1"', '"v1"']);
  });

  it('defaultTtlSeconds gives freshness to responses without any, headers unchanged', async () => {
    let calls = 0;
    const { app } = cachedApp(express, store, { defaultTtlSeconds: 60 }, (a) =>
      a.get('/d', (req, res) => {
        calls++;
        if (req.query.private) res.set('Cache-Control', 'private');
        res.send('d');
      }),
    );
    await request(app).get('/d');
    await store.idle();
    const hit = await request(app).get('/d');
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.headers['cache-control']).toBeUndefined();
    await request(app).get('/d?private=1');
    await store.idle();
    await request(app).get('/d?private=1');
    expect(calls).toBe(3);
  });

  it('never caches a request that arrived with another method (method override)', async () => {
    let calls = 0;
    const app = express();
    // What method-override does when mounted before the cache.
    app.use((req, _res, next) => {
      if (req.headers['x-http-method-override']) {
        (req as { originalMethod?: string }).originalMethod = req.method;
        req.method = String(req.headers['x-http-method-override']);
      }
      next();
    });
    app.use(responseCache({ store, keyPrefix: uniquePrefix() }));
    app.get('/o', (_req, res) => {
      calls++;
      res.set('Cache-Control', 'public, max-age=60').send(`o${calls}`);
    });
    const server = listen(app);
    await request(server).post('/o').set('X-HTTP-Method-Override', 'GET');
    await store.idle();
    expect((await request(server).get('/o')).text).toBe('o2');
  });
});
