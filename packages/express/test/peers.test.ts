/**
 * The failures of apicache listed in the research notes, run against apicache itself and against
 * this middleware: proof that each scenario detects the bug it is about.
 */
import { gunzipSync } from 'node:zlib';
import apicache from 'apicache';
import compression from 'compression';
import express, { type RequestHandler } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { responseCache } from '../src/index';
import { fileBackend, listen, rawGet, uniquePrefix } from './support';

const { store } = await fileBackend();

const contenders: [string, () => RequestHandler][] = [
  ['apicache', () => apicache.newInstance().middleware('5 minutes')],
  ['@momento-http/express', () => responseCache({ store, keyPrefix: uniquePrefix() })],
];

function appWith(cache: RequestHandler, setup: (app: express.Express) => void) {
  const app = express();
  app.use(cache);
  setup(app);
  return listen(app);
}

const settle = () => store.idle();

describe.each(contenders)('peer failures: %s', (name, make) => {
  const correct = name !== 'apicache';

  it("serves a POST's response to a GET", async () => {
    const app = appWith(make(), (a) => {
      a.post('/r', (_req, res) => res.set('Cache-Control', 'public, max-age=60').send('from POST'));
      a.get('/r', (_req, res) => res.set('Cache-Control', 'public, max-age=60').send('from GET'));
    });
    await request(app).post('/r');
    await settle();
    expect((await request(app).get('/r')).text === 'from GET').toBe(correct);
  });

  it('replays Set-Cookie to another client', async () => {
    let calls = 0;
    const app = appWith(make(), (a) =>
      a.get('/r', (_req, res) => {
        calls++;
        res.set('Cache-Control', 'public, max-age=60').cookie('sid', `user${calls}`).send('r');
      }),
    );
    await request(app).get('/r');
    await settle();
    const second = await request(app).get('/r');
    expect(String(second.headers['set-cookie']).includes('user2')).toBe(correct);
  });

  it("serves Alice's authorized response to Bob", async () => {
    const app = appWith(make(), (a) =>
      a.get('/me', (req, res) =>
        res.set('Cache-Control', 'max-age=60').send(`${req.headers.authorization}`),
      ),
    );
    await request(app).get('/me').set('Authorization', 'alice');
    await settle();
    expect((await request(app).get('/me').set('Authorization', 'bob')).text === 'bob').toBe(
      correct,
    );
  });

  it('ignores Vary', async () => {
    const app = appWith(make(), (a) =>
      a.get('/g', (req, res) =>
        res
          .set('Cache-Control', 'public, max-age=60')
          .vary('Accept-Language')
          .send(`${req.headers['accept-language']}`),
      ),
    );
    await request(app).get('/g').set('Accept-Language', 'fr');
    await settle();
    expect((await request(app).get('/g').set('Accept-Language', 'en')).text === 'en').toBe(correct);
  });

  it('overwrites no-store and caches the response anyway', async () => {
    let calls = 0;
    const app = appWith(make(), (a) =>
      a.get('/n', (_req, res) => {
        calls++;
        res.set('Cache-Control', 'no-store, private').send(`n${calls}`);
      }),
    );
    await request(app).get('/n');
    await settle();
    const second = await request(app).get('/n');
    expect(second.text === 'n2' && second.headers['cache-control'] === 'no-store, private').toBe(
      correct,
    );
  });

  it('keeps only the last of several Uint8Array chunks', async () => {
    const app = appWith(make(), (a) =>
      a.get('/u', (_req, res) => {
        res.set('Cache-Control', 'public, max-age=60').type('bin');
        res.write(new Uint8Array([1, 2]));
        res.end(new Uint8Array([3, 4]));
      }),
    );
    await request(app).get('/u');
    await settle();
    const hit = await request(app)
      .get('/u')
      .buffer(true)
      .parse((r, done) => {
        const parts: Buffer[] = [];
        r.on('data', (c: Buffer) => parts.push(c));
        r.on('end', () => done(null, Buffer.concat(parts)));
      });
    expect((hit.body as Buffer).equals(Buffer.from([1, 2, 3, 4]))).toBe(correct);
  });

  it('before compression(), sends a gzip body to a client that does not accept gzip', async () => {
    const app = express();
    app.use(make(), compression({ threshold: 0 }));
    const text = 'zip me '.repeat(200);
    app.get('/z', (_req, res) =>
      res.set('Cache-Control', 'public, max-age=60').type('text').send(text),
    );
    const server = listen(app);
    const gz = await rawGet(server, '/z', { 'Accept-Encoding': 'gzip' });
    expect(gunzipSync(gz.body).toString()).toBe(text);
    await settle();
    const plain = await rawGet(server, '/z', { 'Accept-Encoding': 'identity' });
    const ok = plain.headers['content-encoding'] === undefined && plain.body.toString() === text;
    expect(ok).toBe(correct);
  });
});
