import { MOMENTO_CACHE, type MomentoCacheContext } from '@momento-http/nestjs';
import { eventually, type LocalServer, startLocalServer } from '@momento-http/test-kit';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORMS, type Platform, type RunningApp, startApp } from './support/app';
import { Db, TestAppModule } from './support/controllers';
import { uniqueNamespace } from './support/namespace';

let momento: LocalServer;
beforeAll(async () => {
  momento = await startLocalServer({ clientOptions: { retries: 0 } });
});
afterAll(() => momento.server.close());

describe.each(PLATFORMS)('stock CacheInterceptor on %s', (platform: Platform) => {
  let app: RunningApp;
  let db: Db;
  let namespace: string;
  beforeAll(async () => {
    db = new Db();
    namespace = uniqueNamespace();
    app = await startApp(platform, TestAppModule.with({ client: momento.client(), namespace }, db));
  });
  afterAll(() => app.close());

  it('misses, then hits from Momento with X-Cache', async () => {
    const first = await request(app.url).get('/stock/counter').expect(200);
    expect(first.headers['x-cache']).toBe('MISS');
    await eventually(
      async () => (await request(app.url).get('/stock/counter')).headers['x-cache'] === 'HIT',
    );
    const hit = await request(app.url).get('/stock/counter').expect(200);
    expect(hit.body).toEqual(first.body);
    expect(db.calls).toBe(1);
  });

  it('expires @CacheTTL(1000) entries (ms, as cache-manager 7 takes)', async () => {
    const first = await request(app.url).get('/stock/short').expect(200);
    await eventually(
      async () => (await request(app.url).get('/stock/short')).headers['x-cache'] === 'HIT',
    );
    // Momento keeps the item 1 s (rounded up); Keyv's own expiry makes it a miss after 1000 ms.
    const started = Date.now();
    await eventually(async () => {
      const res = await request(app.url).get('/stock/short');
      return res.body.n !== first.body.n;
    });
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('passes @CacheTTL in ms through to the store: method beats class', async () => {
    const context = app.app.get<MomentoCacheContext>(MOMENTO_CACHE);
    const remaining = async (key: string) => {
      const raw = await context.keyv.get<unknown>(key, { raw: true });
      return raw?.expires === undefined ? undefined : raw.expires - Date.now();
    };
    await request(app.url).get('/ttl/class').expect(200);
    await request(app.url).get('/ttl/method').expect(200);
    await eventually(async () => (await remaining('/ttl/class')) !== undefined);
    await eventually(async () => (await remaining('/ttl/method')) !== undefined);
    const fromClass = (await remaining('/ttl/class'))!;
    expect(fromClass).toBeGreaterThan(50_000);
    expect(fromClass).toBeLessThanOrEqual(60_000);
    // Read right away: the entry may already be gone if the machine is very slow, never longer-lived.
    const fromMethod = await remaining('/ttl/method');
    if (fromMethod !== undefined) expect(fromMethod).toBeLessThanOrEqual(1500);
  });

  it('uses @CacheKey instead of the URL', async () => {
    const a = await request(app.url).get('/stock/keyed/a').expect(200);
    await eventually(
      async () => (await request(app.url).get('/stock/keyed/a')).headers['x-cache'] === 'HIT',
    );
    // Another URL, same @CacheKey: served the first response.
    const b = await request(app.url).get('/stock/keyed/b').expect(200);
    expect(b.headers['x-cache']).toBe('HIT');
    expect(b.body).toEqual(a.body);
    expect(await app.app.get('CACHE_MANAGER').get('fixed-key')).toEqual(a.body);
  });
});
