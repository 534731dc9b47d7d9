import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { cachedApp, fileBackend, frameworks } from './support';

const { store } = await fileBackend();

describe.each(frameworks)('Cache-Status, RFC 9211 ($name)', ({ express }) => {
  function app(options = {}) {
    let calls = 0;
    const built = cachedApp(express, store, options, (a) => {
      a.get('/r', (_req, res) => {
        calls++;
        res.set('Cache-Control', 'public, max-age=600').send(`r ${calls}`);
      });
      a.get('/private', (_req, res) => res.set('Cache-Control', 'private').send('p'));
      a.get('/upstream', (_req, res) => {
        res.set('Cache-Status', 'app-cache; hit').set('Cache-Control', 'max-age=600').send('u');
      });
      a.post('/r', (_req, res) => res.send('posted'));
    });
    return { ...built, calls: () => calls };
  }

  it('says miss and stored, then hit with the remaining freshness, beside X-Cache', async () => {
    const { app: server } = app();
    const miss = await request(server).get('/r');
    expect(miss.headers['cache-status']).toBe('momento-http; fwd=uri-miss; fwd-status=200; stored');
    expect(miss.headers['x-cache']).toBe('MISS');
    await store.idle();
    const hit = await request(server).get('/r');
    expect(hit.headers['cache-status']).toMatch(/^momento-http; hit; ttl=(600|599|598)$/);
    expect(hit.headers['x-cache']).toBe('HIT');
  });

  it('says why a request went forward: not storable, a request directive, a method, a bypass', async () => {
    const { app: server } = app({
      skip: (req: { headers: Record<string, unknown> }) => 'x-skip' in req.headers,
    });
    const notStored = await request(server).get('/private');
    expect(notStored.headers['cache-status']).toBe('momento-http; fwd=uri-miss; fwd-status=200');
    await request(server).get('/r');
    await store.idle();
    const forced = await request(server).get('/r').set('Cache-Control', 'no-cache');
    expect(forced.headers['cache-status']).toMatch(
      /^momento-http; fwd=request; fwd-status=(200|304)/,
    );
    expect((await request(server).post('/r')).headers['cache-status']).toBe(
      'momento-http; fwd=method',
    );
    const skipped = await request(server).get('/r').set('X-Skip', '1');
    expect(skipped.headers['cache-status']).toBe('momento-http; fwd=bypass');
  });

  it("comes after the application's own member, on a miss and on a hit", async () => {
    const { app: server } = app();
    const miss = await request(server).get('/upstream');
    expect(miss.headers['cache-status']).toBe(
      'app-cache; hit, momento-http; fwd=uri-miss; fwd-status=200; stored',
    );
    await store.idle();
    const hit = await request(server).get('/upstream');
    expect(hit.headers['cache-status']).toMatch(/^app-cache; hit, momento-http; hit; ttl=\d+$/);
  });

  it('only-if-cached with nothing stored says so', async () => {
    const { app: server } = app();
    const res = await request(server).get('/r').set('Cache-Control', 'only-if-cached');
    expect(res.status).toBe(504);
    expect(res.headers['cache-status']).toBe('momento-http; detail=only-if-cached');
  });

  it('takes another name, and each header can be turned off on its own', async () => {
    const named = app({ cacheStatus: 'edge-1', statusHeader: false });
    const res = await request(named.app).get('/r');
    expect(res.headers['cache-status']).toMatch(/^edge-1; fwd=uri-miss/);
    expect(res.headers['x-cache']).toBeUndefined();
    const off = app({ cacheStatus: false });
    const quiet = await request(off.app).get('/r');
    expect(quiet.headers['cache-status']).toBeUndefined();
    expect(quiet.headers['x-cache']).toBe('MISS');
  });
});
