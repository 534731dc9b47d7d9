import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { cachedApp, fileBackend, frameworks } from './support';

const { store } = await fileBackend();

/** Lets a max-age=1 entry go stale (freshness is counted in whole seconds). */
const staleSoon = () => new Promise((resolve) => setTimeout(resolve, 2100));

describe.each(frameworks)('stale entries ($name)', ({ express }) => {
  /** /r answers `cacheControl` with 200 first, then `later` (a status) every time after. */
  async function staled(cacheControl: string, later: number) {
    const seen: (string | undefined)[] = [];
    const { app } = cachedApp(express, store, {}, (a) =>
      a.get('/r', (req, res) => {
        seen.push(req.headers['if-none-match'] as string | undefined);
        if (seen.length === 1) res.set('Cache-Control', cacheControl).send('v1');
        else res.status(later).set('Cache-Control', 'no-store').send(`status ${later}`);
      }),
    );
    await request(app).get('/r');
    await store.idle();
    await staleSoon();
    return { app, seen };
  }

  it('are kept by default and revalidated with their validator', async () => {
    const { app, seen } = await staled('max-age=1', 304);
    const res = await request(app).get('/r');
    expect(seen[1]).toMatch(/^W\/"/);
    expect([res.status, res.text]).toEqual([200, 'v1']);
    expect(res.headers['cache-status']).toMatch(/fwd=stale; fwd-status=304/);
  });

  it('are served when the origin cannot be reached (502, 504), saying so', async () => {
    await Promise.all(
      [502, 504].map(async (status) => {
        const { app } = await staled('max-age=1', status);
        const res = await request(app).get('/r');
        expect([res.status, res.text, res.headers['x-cache']]).toEqual([200, 'v1', 'STALE']);
        expect(res.headers['cache-status']).toMatch(
          new RegExp(`fwd=stale; fwd-status=${status}; ttl=-\\d+; detail=origin-unreachable`),
        );
      }),
    );
  });

  it('are not served for other errors, nor when the response forbids serving stale', async () => {
    const cases: [string, number][] = [
      ['max-age=1', 500],
      ['max-age=1, must-revalidate', 502],
      ['max-age=1, proxy-revalidate', 502],
      ['s-maxage=1', 502],
    ];
    await Promise.all(
      cases.map(async ([cacheControl, status]) => {
        const { app } = await staled(cacheControl, status);
        const res = await request(app).get('/r');
        expect(res.status, cacheControl).toBe(status);
      }),
    );
  });
});
