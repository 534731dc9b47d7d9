import request from 'supertest';
import { describe, expect, it, onTestFinished } from 'vitest';
import { cachedApp, fileBackend, frameworks, gate } from './support';

const { store } = await fileBackend();

/** Holds the store's `method` calls until `open` settles (a slow cache, held open by the test). */
function holdUntil(method: 'set' | 'delete', open: Promise<void>): void {
  onTestFinished(store.rule({ method, until: open }));
}

describe.each(frameworks)('writes still in flight ($name)', ({ express }) => {
  function app(writeGate: Promise<void>) {
    let version = 1;
    holdUntil('set', writeGate);
    return cachedApp(express, store, { readTimeoutMs: 2000 }, (a) => {
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
    holdUntil('delete', slowDelete.wait);
    const { app: server } = cachedApp(express, store, { readTimeoutMs: 2000 }, (a) => {
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
