import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { responseCache } from '../src/index';
import { cachedApp, fileBackend, frameworks, listen, uniquePrefix } from './support';

const { store } = await fileBackend();

const LAST_MODIFIED = 'Tue, 01 Sep 2026 10:00:00 GMT';

describe.each(frameworks)('serving ($name)', ({ express }) => {
  /** An app whose /r answers with `headers`; returns the app (stored after one GET) and a counter. */
  async function stored(headers: Record<string, string>, prime: Record<string, string> = {}) {
    const counter = { calls: 0 };
    const { app } = cachedApp(express, store, {}, (a) =>
      a.get('/r', (_req, res) => {
        counter.calls++;
        res.set(headers).send(`body ${counter.calls}`);
      }),
    );
    const first = await request(app).get('/r').set(prime);
    await store.idle();
    return { app, counter, first };
  }

  it('sends Age and X-Cache, counting the age the origin reported', async () => {
    const { app, first } = await stored({ 'Cache-Control': 'public, max-age=600', Age: '100' });
    expect(first.headers['x-cache']).toBe('MISS');
    const hit = await request(app).get('/r');
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(Number(hit.headers.age)).toBeGreaterThanOrEqual(100);
    expect(Number(hit.headers.age)).toBeLessThan(110);
  });

  it('answers If-None-Match from the cache with weak comparison, lists and *', async () => {
    const { app, counter } = await stored({ 'Cache-Control': 'public, max-age=60' });
    const etag = (await request(app).get('/r')).headers.etag as string;
    expect(etag).toMatch(/^W\//);
    const strong = etag.replace(/^W\//, '');
    for (const inm of [etag, strong, `"nope", ${etag}`, '*']) {
      const res = await request(app).get('/r').set('If-None-Match', inm);
      expect(res.status, inm).toBe(304);
      expect(res.headers.etag).toBe(etag);
      expect(res.headers['x-cache']).toBe('HIT');
      expect(res.text).toBe('');
    }
    expect((await request(app).get('/r').set('If-None-Match', '"nope"')).status).toBe(200);
    expect(counter.calls).toBe(1);
  });

  it('answers If-Modified-Since from the cache, and ignores it when If-None-Match is present', async () => {
    const { app } = await stored({
      'Cache-Control': 'public, max-age=60',
      'Last-Modified': LAST_MODIFIED,
    });
    expect((await request(app).get('/r').set('If-Modified-Since', LAST_MODIFIED)).status).toBe(304);
    const later = 'Wed, 02 Sep 2026 10:00:00 GMT';
    expect((await request(app).get('/r').set('If-Modified-Since', later)).status).toBe(304);
    const earlier = 'Mon, 31 Aug 2026 10:00:00 GMT';
    expect((await request(app).get('/r').set('If-Modified-Since', earlier)).status).toBe(200);
    const both = await request(app)
      .get('/r')
      .set('If-Modified-Since', LAST_MODIFIED)
      .set('If-None-Match', '"other"');
    expect(both.status).toBe(200);
  });

  it('a conditional miss still stores the full response, and gets its 304', async () => {
    const { app, first, counter } = await stored(
      { 'Cache-Control': 'public, max-age=60' },
      {
        'If-None-Match': '*',
      },
    );
    expect(first.status).toBe(304);
    const full = await request(app).get('/r');
    expect([full.status, full.text, full.headers['x-cache']]).toEqual([200, 'body 1', 'HIT']);
    expect(counter.calls).toBe(1);
  });

  it('request no-cache, Pragma: no-cache and max-age=0 go to the origin', async () => {
    const { app, counter } = await stored({ 'Cache-Control': 'public, max-age=60' });
    await request(app).get('/r').set('Cache-Control', 'no-cache');
    await request(app).get('/r').set('Pragma', 'no-cache');
    await request(app).get('/r').set('Cache-Control', 'max-age=0');
    expect(counter.calls).toBe(4);
    await store.idle();
    expect(
      (await request(app).get('/r').set('Cache-Control', 'max-age=30')).headers['x-cache'],
    ).toBe('HIT');
  });

  it('request min-fresh asks for more freshness than is left', async () => {
    const { app, counter } = await stored({ 'Cache-Control': 'public, max-age=60' });
    await request(app).get('/r').set('Cache-Control', 'min-fresh=120');
    expect(counter.calls).toBe(2);
    await request(app).get('/r').set('Cache-Control', 'min-fresh=10');
    expect(counter.calls).toBe(2);
  });

  it('request max-stale accepts a stale entry; without it the stale entry is not served', async () => {
    // Age 100 > max-age 60: stale on arrival; stale-if-error keeps it stored.
    const { app, counter } = await stored({
      'Cache-Control': 'public, max-age=60, stale-if-error=600',
      Age: '100',
    });
    const stale = await request(app).get('/r').set('Cache-Control', 'max-stale=120');
    expect([stale.text, stale.headers['x-cache']]).toEqual(['body 1', 'STALE']);
    const tooStale = await request(app).get('/r').set('Cache-Control', 'max-stale=10');
    expect(tooStale.headers['x-cache']).toBe('MISS');
    expect(counter.calls).toBe(2);
  });

  it('only-if-cached: 504 when nothing usable is stored, the entry when it is', async () => {
    let calls = 0;
    const { app } = cachedApp(express, store, {}, (a) =>
      a.get('/o', (_req, res) => {
        calls++;
        res.set('Cache-Control', 'public, max-age=60').send('o');
      }),
    );
    const miss = await request(app).get('/o').set('Cache-Control', 'only-if-cached');
    expect(miss.status).toBe(504);
    expect(calls).toBe(0);
    await request(app).get('/o');
    await store.idle();
    const hit = await request(app).get('/o').set('Cache-Control', 'only-if-cached');
    expect([hit.status, hit.text]).toEqual([200, 'o']);
  });

  it('statusHeader renames or removes X-Cache', async () => {
    const { app } = cachedApp(express, store, { statusHeader: 'Momento-Cache' }, (a) =>
      a.get('/s', (_req, res) => res.set('Cache-Control', 'public, max-age=60').send('s')),
    );
    expect((await request(app).get('/s')).headers['momento-cache']).toBe('MISS');
    const off = cachedApp(express, store, { statusHeader: false }, (a) =>
      a.get('/s', (_req, res) => res.set('Cache-Control', 'public, max-age=60').send('s')),
    );
    expect((await request(off.app).get('/s')).headers['x-cache']).toBeUndefined();
  });

  it('headers set upstream of the cache are per request: not stored, set again on a hit', async () => {
    const app = express();
    let id = 0;
    app.use((_req, res, next) => {
      res.set('X-Request-Id', `req-${++id}`);
      next();
    });
    app.use(responseCache({ store, keyPrefix: uniquePrefix() }));
    app.get('/u', (_req, res) => res.set('Cache-Control', 'public, max-age=60').send('u'));
    const server = listen(app);
    await request(server).get('/u');
    await store.idle();
    const hit = await request(server).get('/u');
    expect([hit.headers['x-cache'], hit.headers['x-request-id']]).toEqual(['HIT', 'req-2']);
  });

  it('skip bypasses the cache', async () => {
    let calls = 0;
    const { app } = cachedApp(
      express,
      store,
      { skip: (req) => req.headers['x-no-cache'] === '1' },
      (a) =>
        a.get('/k', (_req, res) => {
          calls++;
          res.set('Cache-Control', 'public, max-age=60').send('k');
        }),
    );
    await request(app).get('/k');
    await store.idle();
    const skipped = await request(app).get('/k').set('X-No-Cache', '1');
    expect([skipped.headers['x-cache'], calls]).toEqual([undefined, 2]);
  });
});
