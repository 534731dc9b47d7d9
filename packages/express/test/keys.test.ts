import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { cachedApp, fileBackend, frameworks } from './support';

const { store } = await fileBackend();

const PUBLIC = 'public, max-age=60';

describe.each(frameworks)('keys ($name)', ({ express }) => {
  it('serves HEAD from a stored GET, and a HEAD miss stores the GET', async () => {
    let calls = 0;
    const { app } = cachedApp(express, store, {}, (a) =>
      a.get('/h', (_req, res) => {
        calls++;
        res.set('Cache-Control', PUBLIC).type('text').send('hello world');
      }),
    );
    const head = await request(app).head('/h');
    expect(head.status).toBe(200);
    expect(head.text).toBeUndefined();
    await store.idle();
    const get = await request(app).get('/h');
    expect(get.headers['x-cache']).toBe('HIT');
    expect(get.text).toBe('hello world');
    const head2 = await request(app).head('/h');
    expect(head2.headers['x-cache']).toBe('HIT');
    expect(head2.headers['content-length']).toBe('11');
    expect(calls).toBe(1);
  });

  it('keys on the host and the full URL with its query', async () => {
    let calls = 0;
    const { app } = cachedApp(express, store, {}, (a) =>
      a.get('/p', (req, res) => {
        calls++;
        res.set('Cache-Control', PUBLIC).send(`${req.hostname} ${req.query.q ?? ''}`);
      }),
    );
    await request(app).get('/p?q=1').set('Host', 'a.example');
    await store.idle();
    expect((await request(app).get('/p?q=1').set('Host', 'b.example')).text).toBe('b.example 1');
    expect((await request(app).get('/p?q=2').set('Host', 'a.example')).text).toBe('a.example 2');
    expect((await request(app).get('/p?q=1').set('Host', 'a.example')).text).toBe('a.example 1');
    expect(calls).toBe(3);
  });

  it('without trust proxy, X-Forwarded-Host changes neither the key nor the page (no poisoning)', async () => {
    const { app } = cachedApp(express, store, {}, (a) =>
      a.get('/link', (req, res) => {
        res.set('Cache-Control', PUBLIC).send(`https://${req.hostname}/next`);
      }),
    );
    const attacker = await request(app)
      .get('/link')
      .set('Host', 'shop.example')
      .set('X-Forwarded-Host', 'evil.example');
    expect(attacker.text).toBe('https://shop.example/next');
    await store.idle();
    const victim = await request(app).get('/link').set('Host', 'shop.example');
    expect(victim.headers['x-cache']).toBe('HIT');
    expect(victim.text).toBe('https://shop.example/next');
  });

  it('with trust proxy, X-Forwarded-Host is part of the key, so a forged one gets its own entry', async () => {
    const { app } = cachedApp(express, store, {}, (a) => {
      a.set('trust proxy', true);
      a.get('/link', (req, res) => {
        res.set('Cache-Control', PUBLIC).send(`https://${req.hostname}/next`);
      });
    });
    const forged = await request(app)
      .get('/link')
      .set('Host', 'shop.example')
      .set('X-Forwarded-Host', 'evil.example');
    expect(forged.text).toBe('https://evil.example/next');
    await store.idle();
    const victim = await request(app).get('/link').set('Host', 'shop.example');
    expect(victim.text).toBe('https://shop.example/next');
    expect(victim.headers['x-cache']).toBe('MISS');
  });

  it('keys variants on the Vary headers (apicache ignores Vary)', async () => {
    let calls = 0;
    const { app } = cachedApp(express, store, {}, (a) =>
      a.get('/greet', (req, res) => {
        calls++;
        const fr = String(req.headers['accept-language'] ?? '').startsWith('fr');
        res
          .set('Cache-Control', PUBLIC)
          .vary('Accept-Language')
          .send(fr ? 'bonjour' : 'hello');
      }),
    );
    expect((await request(app).get('/greet').set('Accept-Language', 'fr')).text).toBe('bonjour');
    await store.idle();
    expect((await request(app).get('/greet').set('Accept-Language', 'en')).text).toBe('hello');
    await store.idle();
    const fr = await request(app).get('/greet').set('Accept-Language', 'fr');
    const en = await request(app).get('/greet').set('Accept-Language', 'en');
    const none = await request(app).get('/greet');
    expect([fr.text, fr.headers['x-cache']]).toEqual(['bonjour', 'HIT']);
    expect([en.text, en.headers['x-cache']]).toEqual(['hello', 'HIT']);
    expect([none.text, none.headers['x-cache']]).toEqual(['hello', 'MISS']);
    expect(fr.headers.vary).toBe('Accept-Language');
    expect(calls).toBe(3);
  });

  it('never stores varied header values in clear (Vary: Authorization)', async () => {
    const { app } = cachedApp(express, store, {}, (a) =>
      a.get('/v', (req, res) => {
        res
          .set('Cache-Control', 's-maxage=60')
          .vary('Authorization')
          .send(`for ${req.headers.authorization}`);
      }),
    );
    await request(app).get('/v').set('Authorization', 'Bearer secret-token-123');
    await store.idle();
    const bob = await request(app).get('/v').set('Authorization', 'Bearer bob');
    expect(bob.text).toBe('for Bearer bob');
    const again = await request(app).get('/v').set('Authorization', 'Bearer secret-token-123');
    expect(again.headers['x-cache']).toBe('HIT');
  });

  it('keyGenerator replaces the URL part; undefined skips the cache', async () => {
    let calls = 0;
    const { app } = cachedApp(
      express,
      store,
      { keyGenerator: (req) => (req.headers['x-skip'] ? undefined : `path:${req.path}`) },
      (a) =>
        a.get('/k', (_req, res) => {
          calls++;
          res.set('Cache-Control', PUBLIC).send(`k${calls}`);
        }),
    );
    await request(app).get('/k?utm=1');
    await store.idle();
    expect((await request(app).get('/k?utm=2')).text).toBe('k1');
    expect((await request(app).get('/k').set('X-Skip', '1')).text).toBe('k2');
    expect(calls).toBe(2);
  });

  it('Accept-Encoding variants are shared by the same set of encodings, in any order', async () => {
    let calls = 0;
    const { app } = cachedApp(express, store, {}, (a) =>
      a.get('/ae', (_req, res) => {
        calls++;
        res.set('Cache-Control', PUBLIC).vary('Accept-Encoding').send('ae');
      }),
    );
    await request(app).get('/ae').set('Accept-Encoding', 'gzip, deflate, br');
    await store.idle();
    const same = await request(app).get('/ae').set('Accept-Encoding', 'br,gzip,  deflate');
    expect(same.headers['x-cache']).toBe('HIT');
    const other = await request(app).get('/ae').set('Accept-Encoding', 'gzip');
    expect(other.headers['x-cache']).toBe('MISS');
    expect(calls).toBe(2);
  });
});
