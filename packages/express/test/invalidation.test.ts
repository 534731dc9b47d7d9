import { InvalidArgumentError } from '@momento-http/core';
import { eventually } from '@momento-http/test-kit';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { responseCache } from '../src/index';
import { cachedApp, fileBackend, frameworks, listen, uniquePrefix } from './support';

const { store } = await fileBackend();

const PUBLIC = 'public, max-age=600';

describe.each(frameworks)('invalidation ($name)', ({ express }) => {
  function shop(options = {}) {
    const state = { version: 1, postStatus: 201, location: '' };
    const built = cachedApp(express, store, options, (a) => {
      a.get('/items', (req, res) => {
        res.set('Cache-Control', PUBLIC).vary('Accept-Language');
        res.send(`items v${state.version} ${req.headers['accept-language'] ?? ''}`);
      });
      a.get('/items/:id', (req, res) => {
        res.set('Cache-Control', PUBLIC).send(`item ${req.params.id} v${state.version}`);
      });
      a.post('/items', (_req, res) => {
        state.version++;
        if (state.location) res.location(state.location);
        res.status(state.postStatus).send('ok');
      });
    });
    return { ...built, state };
  }

  it('a successful POST invalidates the URL, every variant of it', async () => {
    const { app } = shop();
    await request(app).get('/items').set('Accept-Language', 'en');
    await request(app).get('/items').set('Accept-Language', 'fr');
    await store.idle();
    expect((await request(app).get('/items').set('Accept-Language', 'fr')).headers['x-cache']).toBe(
      'HIT',
    );
    await request(app).post('/items');
    await store.idle();
    expect((await request(app).get('/items').set('Accept-Language', 'en')).text).toBe(
      'items v2 en',
    );
    expect((await request(app).get('/items').set('Accept-Language', 'fr')).text).toBe(
      'items v2 fr',
    );
  });

  it('a failed POST invalidates nothing', async () => {
    const { app, state } = shop();
    state.postStatus = 500;
    await request(app).get('/items');
    await store.idle();
    await request(app).post('/items');
    await store.idle();
    expect((await request(app).get('/items')).text).toBe('items v1 ');
  });

  it('Location and Content-Location on the same origin are invalidated; other origins are not', async () => {
    const { app, state } = shop();
    await request(app).get('/items/7');
    await request(app).get('/items/8');
    await store.idle();
    state.location = '/items/7';
    await request(app).post('/items');
    state.location = 'https://elsewhere.example/items/8';
    await request(app).post('/items');
    await store.idle();
    expect((await request(app).get('/items/7')).text).toBe('item 7 v3');
    expect((await request(app).get('/items/8')).text).toBe('item 8 v1');
  });

  it('tags from Cache-Tag, Surrogate-Key and res.locals.cacheTags; purge({ tags })', async () => {
    let version = 1;
    const { app, cache } = cachedApp(express, store, {}, (a) => {
      a.get('/a', (_req, res) =>
        res.set({ 'Cache-Control': PUBLIC, 'Cache-Tag': 'x, shared' }).send(`a${version}`),
      );
      a.get('/b', (_req, res) =>
        res.set({ 'Cache-Control': PUBLIC, 'Surrogate-Key': 'y shared' }).send(`b${version}`),
      );
      a.get('/c', (_req, res) => {
        res.locals.cacheTags = ['z'];
        res.set('Cache-Control', PUBLIC).send(`c${version}`);
      });
    });
    for (const path of ['/a', '/b', '/c']) await request(app).get(path);
    await store.idle();
    version = 2;
    await cache.purge({ tags: ['x'] });
    expect((await request(app).get('/a')).text).toBe('a2');
    expect((await request(app).get('/b')).text).toBe('b1');
    await cache.purge({ tags: ['shared', 'z'] });
    expect((await request(app).get('/b')).text).toBe('b2');
    expect((await request(app).get('/c')).text).toBe('c2');
    await store.idle();
    expect((await request(app).get('/c')).headers['x-cache']).toBe('HIT'); // stored after the purge
  });

  it('purge({ urls }) takes absolute URLs and removes every variant', async () => {
    const { app, cache, state } = shop();
    await request(app).get('/items').set('Host', 'shop.example').set('Accept-Language', 'en');
    await store.idle();
    state.version = 2;
    await cache.purge({ urls: ['http://shop.example/items'] });
    const res = await request(app)
      .get('/items')
      .set('Host', 'shop.example')
      .set('Accept-Language', 'en');
    expect(res.text).toBe('items v2 en');
    await expect(cache.purge({ urls: ['/items'] })).rejects.toThrow(InvalidArgumentError);
    await expect(cache.purge({ tags: [''] })).rejects.toThrow(InvalidArgumentError);
  });
});

describe.each(frameworks)('two instances over one local server ($name)', ({ express }) => {
  function instance(prefix: string, version: { v: number }, nearCache = false) {
    const app = express();
    const cache = responseCache({
      store,
      keyPrefix: prefix,
      nearCache: nearCache && { ttlMs: 100 },
    });
    app.use(cache);
    app.get('/p', (_req, res) =>
      res.set({ 'Cache-Control': PUBLIC, 'Cache-Tag': 'products' }).send(`v${version.v}`),
    );
    return { server: listen(app), cache };
  }

  it('an entry stored by one is served by the other; a purge on one is seen by the other', async () => {
    const prefix = uniquePrefix();
    const version = { v: 1 };
    const a = instance(prefix, version);
    const b = instance(prefix, version);
    await request(a.server).get('/p').set('Host', 'shop.example');
    await store.idle();
    const fromB = await request(b.server).get('/p').set('Host', 'shop.example');
    expect([fromB.text, fromB.headers['x-cache']]).toEqual(['v1', 'HIT']);
    version.v = 2;
    await b.cache.purge({ tags: ['products'] });
    expect((await request(a.server).get('/p').set('Host', 'shop.example')).text).toBe('v2');
  });

  it('with near caches, the other instance sees the purge once its near entry expires', async () => {
    const prefix = uniquePrefix();
    const version = { v: 1 };
    const a = instance(prefix, version, true);
    const b = instance(prefix, version, true);
    await request(a.server).get('/p').set('Host', 'shop.example');
    await store.idle();
    await request(b.server).get('/p').set('Host', 'shop.example');
    version.v = 2;
    await b.cache.purge({ tags: ['products'] });
    expect((await request(b.server).get('/p').set('Host', 'shop.example')).text).toBe('v2');
    await eventually(
      async () => (await request(a.server).get('/p').set('Host', 'shop.example')).text === 'v2',
    );
  });
});
