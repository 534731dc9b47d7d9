import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { eventually } from '@momento-http/test-kit';
import compression from 'compression';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { responseCache } from '../src/index';
import { cachedApp, fileBackend, frameworks, listen, rawGet, uniquePrefix } from './support';

const { store } = await fileBackend();

const PUBLIC = 'public, max-age=60';
const binary = Buffer.from(Array.from({ length: 256 * 40 }, (_, i) => (i * 7) % 256));

/** Reads a response body as raw bytes, whatever its type. */
const raw = (res: request.Request) =>
  res.buffer(true).parse((r, done) => {
    const parts: Buffer[] = [];
    r.on('data', (c: Buffer) => parts.push(c));
    r.on('end', () => done(null, Buffer.concat(parts)));
  });

describe.each(frameworks)('body capture ($name)', ({ express }) => {
  /** The handler's bytes on the miss, and the bytes replayed on the hit, for one handler. */
  async function missAndHit(handler: (res: import('express').Response) => void) {
    const { app } = cachedApp(express, store, {}, (a) =>
      a.get('/b', (_req, res) => {
        res.set('Cache-Control', PUBLIC);
        handler(res);
      }),
    );
    const miss = await raw(request(app).get('/b'));
    await store.idle();
    const hit = await raw(request(app).get('/b'));
    expect(hit.headers['x-cache']).toBe('HIT');
    return { miss: miss.body as Buffer, hit: hit.body as Buffer, hitRes: hit };
  }

  it('write/end with strings in several encodings', async () => {
    const { miss, hit } = await missAndHit((res) => {
      res.type('text');
      res.write('héllo ', 'utf8');
      res.write('776f726c64', 'hex');
      res.write(Buffer.from(' base64').toString('base64'), 'base64');
      res.end('é', 'latin1');
    });
    expect(hit.equals(miss)).toBe(true);
    expect(hit).toEqual(Buffer.concat([Buffer.from('héllo world base64'), Buffer.from([0xe9])]));
  });

  it('Uint8Array chunks, each kept (apicache keeps only the last)', async () => {
    const { hit } = await missAndHit((res) => {
      res.type('bin');
      const chunk = new Uint8Array(4);
      for (let i = 0; i < 3; i++) {
        chunk.fill(i + 1);
        res.write(chunk); // the handler reuses its buffer: the cache must have copied it
      }
      res.end(new Uint8Array([9, 9]));
    });
    expect([...hit]).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 9, 9]);
  });

  it('a binary body through res.send, bit-exact', async () => {
    const { hit, hitRes } = await missAndHit((res) => res.type('bin').send(binary));
    expect(hit.equals(binary)).toBe(true);
    expect(hitRes.headers['content-length']).toBe(String(binary.length));
  });

  it('a stream piped into res', async () => {
    const { hit } = await missAndHit((res) => {
      res.type('bin');
      Readable.from([binary.subarray(0, 1000), binary.subarray(1000)]).pipe(res);
    });
    expect(hit.equals(binary)).toBe(true);
  });

  it('res.sendFile', async () => {
    const file = fileURLToPath(new URL('../package.json', import.meta.url));
    const { hit, hitRes } = await missAndHit((res) => res.sendFile(file));
    expect(hit.equals(readFileSync(file))).toBe(true);
    expect(hitRes.headers['content-type']).toMatch(/json/);
  });

  it('writeHead with a header object, and JSON', async () => {
    const { hit, hitRes } = await missAndHit((res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Custom': 'yes' });
      res.end(JSON.stringify({ a: 1 }));
    });
    expect(JSON.parse(hit.toString())).toEqual({ a: 1 });
    expect(hitRes.headers['x-custom']).toBe('yes');
  });

  it('an empty 204 is cached (apicache never caches empty bodies)', async () => {
    let calls = 0;
    const { app } = cachedApp(express, store, {}, (a) =>
      a.get('/e', (_req, res) => {
        calls++;
        res.status(204).set('Cache-Control', PUBLIC).end();
      }),
    );
    await request(app).get('/e');
    await store.idle();
    const hit = await request(app).get('/e');
    expect([hit.status, hit.headers['x-cache']]).toEqual([204, 'HIT']);
    expect(calls).toBe(1);
  });

  it('bodies over maxBodyBytes pass through uncached', async () => {
    let calls = 0;
    const { app } = cachedApp(express, store, { maxBodyBytes: 1000 }, (a) =>
      a.get('/big', (_req, res) => {
        calls++;
        res.set('Cache-Control', PUBLIC).type('bin');
        res.write(binary.subarray(0, 800));
        res.end(binary.subarray(800, 1600));
      }),
    );
    const first = await raw(request(app).get('/big'));
    expect((first.body as Buffer).equals(binary.subarray(0, 1600))).toBe(true);
    await store.idle();
    await request(app).get('/big');
    expect(calls).toBe(2);
  });

  it('a body larger than one cache item (5 MB) is chunked and comes back whole', async () => {
    const big = Buffer.alloc(6_000_000);
    for (let i = 0; i < big.length; i += 4096) big[i] = i % 251;
    // Hashing and several round trips: more than the default 250 ms read budget on a busy machine.
    const { app } = cachedApp(express, store, { readTimeoutMs: 5000 }, (a) =>
      a.get('/huge', (_req, res) => res.set('Cache-Control', PUBLIC).type('bin').send(big)),
    );
    await request(app).get('/huge');
    let hit: Awaited<ReturnType<typeof rawGet>> | undefined;
    await eventually(
      async () => {
        hit = await rawGet(app, '/huge');
        return hit.headers['x-cache'] === 'HIT';
      },
      { timeoutMs: 10_000 },
    );
    expect(hit?.body.equals(big)).toBe(true);
  });
});

describe.each(frameworks)('with compression() ($name)', ({ express }) => {
  const text = 'compress me '.repeat(500);

  function appWith(order: 'cache-first' | 'compression-first') {
    const app = express();
    const cache = responseCache({ store, keyPrefix: uniquePrefix() });
    if (order === 'cache-first') app.use(cache, compression({ threshold: 0 }));
    else app.use(compression({ threshold: 0 }), cache);
    app.get('/c', (_req, res) => res.set('Cache-Control', PUBLIC).type('text').send(text));
    return listen(app);
  }

  for (const order of ['cache-first', 'compression-first'] as const) {
    it(`${order}: gzip and identity clients each get a body that matches its Content-Encoding`, async () => {
      const app = appWith(order);
      const gz = await rawGet(app, '/c', { 'Accept-Encoding': 'gzip' });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gz.body).toString()).toBe(text);
      await store.idle();
      const plain = await rawGet(app, '/c', { 'Accept-Encoding': 'identity' });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.toString()).toBe(text);
      await store.idle();
      const gzHit = await rawGet(app, '/c', { 'Accept-Encoding': 'gzip' });
      expect(gzHit.headers['x-cache']).toBe('HIT');
      expect(gzHit.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gzHit.body).toString()).toBe(text);
      const plainHit = await rawGet(app, '/c', { 'Accept-Encoding': 'identity' });
      expect(plainHit.headers['x-cache']).toBe('HIT');
      expect(plainHit.headers['content-encoding']).toBeUndefined();
      expect(plainHit.body.toString()).toBe(text);
    });
  }
});
