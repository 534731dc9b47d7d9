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

const isHit =
  (app: RunningApp, path: string, headers: Record<string, string> = {}) =>
  async () =>
    (await request(app.url).get(path).set(headers)).headers['x-cache'] === 'HIT';

describe.each(PLATFORMS)('HttpCacheInterceptor on %s', (platform: Platform) => {
  let app: RunningApp;
  let db: Db;
  beforeAll(async () => {
    db = new Db();
    const options = { client: momento.client(), namespace: uniqueNamespace() };
    app = await startApp(platform, TestAppModule.with(options, db));
  });
  afterAll(() => app.close());

  it('replays status and headers set through @Res({ passthrough }), without Set-Cookie', async () => {
    const miss = await request(app.url).get('/http/status').expect(203);
    expect(miss.headers['x-cache']).toBe('MISS');
    expect(miss.headers['x-custom']).toBe('kept');
    expect(miss.headers['set-cookie']).toEqual(['sid=secret']);
    await eventually(isHit(app, '/http/status'));
    const calls = db.calls;
    const hit = await request(app.url).get('/http/status').expect(203);
    expect(db.calls).toBe(calls);
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.headers['x-custom']).toBe('kept');
    expect(hit.headers['set-cookie']).toBeUndefined();
    expect(hit.headers['content-type']).toBe(miss.headers['content-type']);
    expect(hit.text).toBe(miss.text);
    expect(Number(hit.headers.age)).toBeGreaterThanOrEqual(0);
  });

  it('keeps @HttpCode and @Header, and text bodies byte for byte', async () => {
    const miss = await request(app.url).get('/http/decorated').expect(202);
    await eventually(isHit(app, '/http/decorated'));
    const hit = await request(app.url).get('/http/decorated').expect(202);
    expect(hit.headers['x-deco']).toBe('yes');
    expect(hit.headers['content-type']).toBe(miss.headers['content-type']);
    expect(hit.text).toBe(miss.text);
  });

  it.runIf(platform === 'express')(
    'keeps Express ETags and answers If-None-Match with 304',
    async () => {
      await request(app.url).get('/http/decorated');
      await eventually(isHit(app, '/http/decorated'));
      const hit = await request(app.url).get('/http/decorated').expect(202);
      expect(hit.headers.etag).toBeTruthy();
      const revalidated = await request(app.url)
        .get('/http/decorated')
        .set('If-None-Match', String(hit.headers.etag));
      expect(revalidated.status).toBe(304);
      expect(revalidated.headers['x-cache']).toBe('HIT');
    },
  );

  it('serves HEAD from the GET entry', async () => {
    const get = await request(app.url).get('/http/decorated');
    await eventually(isHit(app, '/http/decorated'));
    const calls = db.calls;
    const head = await request(app.url).head('/http/decorated').expect(202);
    expect(head.headers['x-cache']).toBe('HIT');
    expect(head.text ?? '').toBe('');
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
    expect(db.calls).toBe(calls);
  });

  it('stores a HEAD miss for later GETs', async () => {
    const head = await request(app.url).head('/http/me?via=head').expect(200);
    expect(head.headers['x-cache']).toBe('MISS');
    await eventually(isHit(app, '/http/me?via=head'));
  });

  it('keeps users apart by Authorization', async () => {
    const alice = { authorization: 'Bearer alice' };
    const bob = { authorization: 'Bearer bob' };
    const a1 = await request(app.url).get('/http/me').set(alice).expect(200);
    expect(a1.body.user).toBe('Bearer alice');
    await eventually(isHit(app, '/http/me', alice));
    const b1 = await request(app.url).get('/http/me').set(bob).expect(200);
    expect(b1.headers['x-cache']).toBe('MISS');
    expect(b1.body.user).toBe('Bearer bob');
    const anon = await request(app.url).get('/http/me').expect(200);
    expect(anon.body.user).toBe('anonymous');
    const a2 = await request(app.url).get('/http/me').set(alice).expect(200);
    expect(a2.body).toEqual(a1.body);
  });

  it('does not store Cache-Control: private responses', async () => {
    await request(app.url).get('/http/private').expect(200);
    await request(app.url).get('/http/private').expect(200);
    // A write issued after the (wrong) one has landed, so that one would have too.
    await request(app.url).get('/http/me?probe=private');
    await eventually(isHit(app, '/http/me?probe=private'));
    const third = await request(app.url).get('/http/private').expect(200);
    expect(third.headers['x-cache']).toBe('MISS');
  });

  it('expires entries after @CacheTTL', async () => {
    const first = await request(app.url).get('/http/short').expect(200);
    await eventually(isHit(app, '/http/short'));
    await eventually(
      async () => (await request(app.url).get('/http/short')).body.n !== first.body.n,
    );
  });

  it('caches URLs longer than a Momento key under their hash', async () => {
    const path = `/http/me?long=${'x'.repeat(6000)}`;
    await request(app.url).get(path).expect(200);
    await eventually(isHit(app, path));
  });

  it('uses an overridden trackBy (per tenant; none: bypass)', async () => {
    const acme = { 'x-tenant': 'acme' };
    const first = await request(app.url).get('/tenant/home').set(acme).expect(200);
    await eventually(isHit(app, '/tenant/home', acme));
    const other = await request(app.url).get('/tenant/home').set({ 'x-tenant': 'globex' });
    expect(other.headers['x-cache']).toBe('MISS');
    expect(other.body.tenant).toBe('globex');
    const none = await request(app.url).get('/tenant/home');
    expect(none.headers['x-cache']).toBeUndefined();
    expect((await request(app.url).get('/tenant/home').set(acme)).body).toEqual(first.body);
  });

  it('leaves server-sent events alone', async () => {
    const first = await request(app.url).get('/http/events').expect(200);
    expect(first.headers['content-type']).toMatch(/text\/event-stream/);
    expect(first.headers['x-cache']).toBeUndefined();
    const calls = db.calls;
    await request(app.url).get('/http/events').expect(200);
    expect(db.calls).toBe(calls + 1);
  });

  it('passes POST through untouched', async () => {
    const res = await request(app.url).post('/http/items').send({ name: 'x' });
    expect(res.status).toBe(201);
    expect(res.headers['x-cache']).toBeUndefined();
  });
});
