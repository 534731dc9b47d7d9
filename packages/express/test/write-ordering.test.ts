import type { CacheKey, CacheValue, SetOptions } from '@momento-http/core';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { cachedApp, fileBackend, frameworks, gate, type TrackedStore } from './support';

const { store } = await fileBackend();

/** A store whose writes wait for `writeGate` (a slow cache write, held open by the test). */
function gatedWrites(inner: TrackedStore, writeGate: Promise<void>): TrackedStore {
  return Object.assign(Object.create(inner) as TrackedStore, {
    set: async (key: CacheKey, value: CacheValue, opts?: SetOptions) => {
      await writeGate;
      return inner.set(key, value, opts);
    },
  });
}

describe.each(frameworks)('writes still in flight ($name)', ({ express }) => {
  function app(writeGate: Promise<void>) {
    let version = 1;
    return cachedApp(express, gatedWrites(store, writeGate), { readTimeoutMs: 2000 }, (a) => {
      a.get('/r', (_req, res) => res.set('Cache-Control', 'max-age=600').send(`v${version}`));
      a.post('/r', (_req, res) => {
        version++;
        res.send('ok');
      });
    });
  }

  it('a client asking again right after a MISS gets what it was given', async () => {
    const slow = gate();
    const { app: server } = app(slow.wait);
    expect((await request(server).get('/r')).headers['x-cache']).toBe('MISS');
    const again = request(server)
      .get('/r')
      .then((res) => res.headers['x-cache']);
    // The write lands only now, after the second request has started reading.
    setTimeout(slow.open, 50);
    expect(await again).toBe('HIT');
  });

  it('an invalidation waits for the write it would otherwise overtake', async () => {
    const slow = gate();
    const { app: server } = app(slow.wait);
    await request(server).get('/r');
    const posted = request(server).post('/r');
    setTimeout(slow.open, 100);
    await posted;
    await slow.wait;
    await store.idle();
    const after = await request(server).get('/r');
    expect([after.text, after.headers['x-cache']]).toEqual(['v2', 'MISS']);
  });

  it('an unsafe response is held back, body included, until its invalidation is done', async () => {
    const slowDelete = gate();
    const slowStore = Object.assign(Object.create(store) as TrackedStore, {
      delete: async (key: CacheKey) => {
        await slowDelete.wait;
        return store.delete(key);
      },
    });
    const { app: server } = cachedApp(express, slowStore, { readTimeoutMs: 2000 }, (a) => {
      a.get('/w', (_req, res) => res.set('Cache-Control', 'max-age=600').send('old'));
      a.post('/w', (_req, res) => {
        // The body completes the response on the wire before end() is called.
        res.set('Content-Length', '2');
        res.write('ok');
        setImmediate(() => res.end());
      });
    });
    await request(server).get('/w');
    await store.idle();
    let deleted = false;
    setTimeout(() => {
      deleted = true;
      slowDelete.open();
    }, 100);
    await request(server).post('/w');
    expect(deleted).toBe(true);
  });
});
