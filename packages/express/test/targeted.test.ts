import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { cachedApp, fileBackend, frameworks } from './support';

const { store } = await fileBackend();

describe.each(frameworks)('targeted cache control, RFC 9213 ($name)', ({ express }) => {
  /** GET /r twice with `headers` on the response; returns the origin calls and the second answer. */
  async function twice(headers: Record<string, string>, options = {}) {
    let calls = 0;
    const { app } = cachedApp(express, store, options, (a) =>
      a.get('/r', (_req, res) => {
        calls++;
        res.set(headers).send(`r ${calls}`);
      }),
    );
    const first = await request(app).get('/r');
    await store.idle();
    const second = await request(app).get('/r');
    return { calls, first, second };
  }

  it('CDN-Cache-Control replaces Cache-Control and Expires for this cache, either way', async () => {
    const stored = await twice({ 'Cache-Control': 'no-store', 'CDN-Cache-Control': 'max-age=600' });
    expect([stored.calls, stored.second.headers['x-cache']]).toEqual([1, 'HIT']);
    const future = new Date(Date.now() + 600_000).toUTCString();
    for (const cdn of ['no-store', 'private', 'no-cache', 'max-age=0']) {
      const refused = await twice({
        'Cache-Control': 'public, max-age=600',
        Expires: future,
        'CDN-Cache-Control': cdn,
      });
      expect(refused.calls, cdn).toBe(2);
    }
  });

  it('a value that is not a valid dictionary is ignored, and Cache-Control applies', async () => {
    for (const cdn of ['max-age=600, &&&', 'max-age="600"', 'max-age =600']) {
      const result = await twice({ 'Cache-Control': 'no-store', 'CDN-Cache-Control': cdn });
      expect(result.calls, cdn).toBe(2);
    }
  });

  it('Momento-Cache-Control comes first and is removed from what the client gets; CDN-Cache-Control is kept', async () => {
    const result = await twice({
      'Cache-Control': 'no-store',
      'CDN-Cache-Control': 'no-store',
      'Momento-Cache-Control': 'max-age=600',
    });
    expect(result.calls).toBe(1);
    for (const res of [result.first, result.second]) {
      expect(res.headers['momento-cache-control']).toBeUndefined();
      expect(res.headers['cdn-cache-control']).toBe('no-store');
    }
  });

  it('the list of fields and the ones removed are configurable; [] turns targeting off', async () => {
    const own = await twice(
      { 'Cache-Control': 'no-store', 'Edge-Cache-Control': 'max-age=600' },
      { targetedFields: ['Edge-Cache-Control'], removeTargetedFields: ['Edge-Cache-Control'] },
    );
    expect(own.calls).toBe(1);
    expect(own.second.headers['edge-cache-control']).toBeUndefined();
    const off = await twice(
      { 'Cache-Control': 'no-store', 'CDN-Cache-Control': 'max-age=600' },
      { targetedFields: [] },
    );
    expect(off.calls).toBe(2);
  });
});
