import { eventually } from '@momento-http/test-kit';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { responseCache } from '../src/index';
import { cachedApp, fileBackend, frameworks, listen, uniquePrefix } from './support';

const { store } = await fileBackend();

describe.each(frameworks)(
  'revalidation, stale-while-revalidate, stale-if-error ($name)',
  ({ express }) => {
    /**
     * /r answers `cacheControl`; the first answer says `Age: 100` (so it is stored already stale),
     * later ones come from `later` (default: the same body, so Express answers our validators with 304).
     */
    async function staleApp(
      cacheControl: string,
      later: (calls: number, res: import('express').Response) => void = (_n, res) => res.send('v1'),
    ) {
      const seen: (string | undefined)[] = [];
      let calls = 0;
      const { app } = cachedApp(express, store, {}, (a) =>
        a.get('/r', (req, res) => {
          calls++;
          seen.push(req.headers['if-none-match'] as string | undefined);
          res.set('Cache-Control', cacheControl).set('X-Call', String(calls));
          if (calls === 1) res.set('Age', '100').send('v1');
          else later(calls, res);
        }),
      );
      await request(app).get('/r');
      await store.idle();
      return { app, seen, calls: () => calls };
    }

    it('revalidates a stale entry with its ETag; a 304 refreshes it and its headers', async () => {
      const { app, seen, calls } = await staleApp('public, max-age=60, stale-if-error=600');
      const res = await request(app).get('/r');
      expect([res.status, res.text, res.headers['x-cache']]).toEqual([200, 'v1', 'HIT']);
      expect(seen[1]).toMatch(/^W\/"/); // our stored validator reached the origin
      expect(res.headers['x-call']).toBe('2'); // headers from the 304 replace the stored ones
      await store.idle();
      const after = await request(app).get('/r');
      expect([after.headers['x-cache'], after.headers['x-call']]).toEqual(['HIT', '2']);
      expect(Number(after.headers.age)).toBeLessThan(5);
      expect(calls()).toBe(2);
    });

    it("a client's own If-None-Match is answered after revalidation", async () => {
      const { app } = await staleApp('public, max-age=60, stale-if-error=600');
      const etag = (await request(app).get('/r').set('Cache-Control', 'max-stale')).headers.etag;
      const res = await request(app)
        .get('/r')
        .set('If-None-Match', etag as string);
      expect(res.status).toBe(304);
    });

    it('a changed representation replaces the entry', async () => {
      const { app } = await staleApp('public, max-age=60, stale-if-error=600', (_n, res) =>
        res.send('v2'),
      );
      const res = await request(app).get('/r');
      expect([res.text, res.headers['x-cache']]).toEqual(['v2', 'MISS']);
      await store.idle();
      expect((await request(app).get('/r')).text).toBe('v2');
    });

    it('stale-while-revalidate serves the stale entry at once and refreshes it in the background', async () => {
      const { app, calls } = await staleApp(
        'public, max-age=60, stale-while-revalidate=600',
        (n, res) => res.send(`v${n}`),
      );
      const stale = await request(app).get('/r');
      expect([stale.text, stale.headers['x-cache']]).toEqual(['v1', 'STALE']);
      await eventually(() => calls() === 2);
      await eventually(async () => {
        await store.idle();
        const res = await request(app).get('/r');
        return res.text === 'v2' && res.headers['x-cache'] === 'HIT';
      });
      expect(calls()).toBe(2);
    });

    it('the background refresh replays the request headers and revalidates with the stored ETag', async () => {
      const seen: { lang: unknown; inm: unknown }[] = [];
      const { app } = cachedApp(express, store, {}, (a) =>
        a.get('/v', (req, res) => {
          seen.push({ lang: req.headers['accept-language'], inm: req.headers['if-none-match'] });
          res.set({
            'Cache-Control': 'public, max-age=60, stale-while-revalidate=600',
            'X-Call': String(seen.length),
            Age: seen.length === 1 ? '100' : '0',
          });
          res.vary('Accept-Language').send(`lang ${req.headers['accept-language']}`);
        }),
      );
      await request(app).get('/v').set('Accept-Language', 'fr');
      await store.idle();
      const stale = await request(app).get('/v').set('Accept-Language', 'fr');
      expect([stale.text, stale.headers['x-cache']]).toEqual(['lang fr', 'STALE']);
      await eventually(() => seen.length === 2);
      expect(seen[1]?.lang).toBe('fr');
      expect(seen[1]?.inm).toMatch(/^W\//);
      await eventually(async () => {
        await store.idle();
        const res = await request(app).get('/v').set('Accept-Language', 'fr');
        return res.headers['x-cache'] === 'HIT' && res.headers['x-call'] === '2';
      });
    });

    it('stale-if-error serves the stale entry when the origin answers 5xx or throws', async () => {
      const failing = await staleApp('public, max-age=60, stale-if-error=600', (_n, res) =>
        res.status(503).send('down'),
      );
      const res = await request(failing.app).get('/r');
      expect([res.status, res.text, res.headers['x-cache']]).toEqual([200, 'v1', 'STALE']);
      const throwing = await staleApp('public, max-age=60, stale-if-error=600', () => {
        throw new Error('boom');
      });
      const res2 = await request(throwing.app).get('/r');
      expect([res2.status, res2.text, res2.headers['x-cache']]).toEqual([200, 'v1', 'STALE']);
    });

    it('stale-if-error in the request works too; without any, the error goes through', async () => {
      let calls = 0;
      const { app } = cachedApp(express, store, {}, (a) =>
        a.get('/e', (_req, res) => {
          calls++;
          if (calls === 1) res.set('Cache-Control', 'public, max-age=60').send('v1');
          else res.status(500).send('down');
        }),
      );
      await request(app).get('/e');
      await store.idle();
      // max-age=0 makes the fresh entry need validation; the origin fails.
      expect((await request(app).get('/e').set('Cache-Control', 'max-age=0')).status).toBe(500);
      const res = await request(app)
        .get('/e')
        .set('Cache-Control', 'max-age=0, stale-if-error=3600');
      expect([res.status, res.text, res.headers['x-cache']]).toEqual([200, 'v1', 'STALE']);
    });

    it('must-revalidate: served while fresh, never served stale', async () => {
      let calls = 0;
      const { app } = cachedApp(express, store, {}, (a) =>
        a.get('/m', (_req, res) => {
          calls++;
          res.set('Cache-Control', 'public, max-age=60, must-revalidate').send('m');
        }),
      );
      await request(app).get('/m');
      await store.idle();
      expect((await request(app).get('/m')).headers['x-cache']).toBe('HIT');
      expect(calls).toBe(1);
      const stale = await staleApp(
        'public, max-age=60, must-revalidate, stale-if-error=600',
        (_n, res) => res.status(503).send('down'),
      );
      expect((await request(stale.app).get('/r').set('Cache-Control', 'max-stale')).status).toBe(
        503,
      );
    });

    it('keepSeconds keeps a stale entry with a validator for a conditional revalidation', async () => {
      const seen: (string | undefined)[] = [];
      const { app } = cachedApp(express, store, { keepSeconds: 600 }, (a) =>
        a.get('/k', (req, res) => {
          seen.push(req.headers['if-none-match'] as string | undefined);
          // Age 59 of max-age 60: fresh for about one more second, then stale but kept.
          res.set({ 'Cache-Control': 'public, max-age=60', Age: seen.length === 1 ? '59' : '0' });
          res.send('kept');
        }),
      );
      await request(app).get('/k');
      await store.idle();
      await eventually(
        async () => {
          const res = await request(app).get('/k');
          return seen.length === 2 && res.text === 'kept';
        },
        { timeoutMs: 5000 },
      );
      expect(seen[1]).toMatch(/^W\//);
    });

    it('works inside a mounted sub-app: keys on the full URL, refreshes through the parent app', async () => {
      const sub = express();
      let calls = 0;
      sub.use(responseCache({ store, keyPrefix: uniquePrefix() }));
      sub.get('/r', (_req, res) => {
        calls++;
        res.set('Cache-Control', 'public, max-age=60, stale-while-revalidate=600');
        res.set('Age', calls === 1 ? '100' : '0').send(`v${calls}`);
      });
      const main = express();
      main.use('/api', sub);
      const server = listen(main);
      await request(server).get('/api/r');
      await store.idle();
      expect((await request(server).get('/api/r')).headers['x-cache']).toBe('STALE');
      await eventually(async () => {
        await store.idle();
        const res = await request(server).get('/api/r');
        return res.text === 'v2' && res.headers['x-cache'] === 'HIT';
      });
    });
  },
);
