import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { cachedApp, fileBackend, frameworks } from './support';

const { store } = await fileBackend();

describe.each(frameworks)('Range requests ($name)', ({ express }) => {
  function app() {
    const ranges: (string | undefined)[] = [];
    const built = cachedApp(express, store, {}, (a) =>
      a.get('/r', (req, res) => {
        ranges.push(req.headers.range);
        res.set('Cache-Control', 'max-age=600');
        if (req.headers.range === 'bytes=4-7') {
          res.status(206).set('Content-Range', 'bytes 4-7/10').send('4567');
        } else res.send('0123456789');
      }),
    );
    return { ...built, ranges };
  }

  it('are answered from a stored 200 as 206 without asking the origin', async () => {
    const { app: server, ranges } = app();
    await request(server).get('/r');
    await store.idle();
    for (const [range, body, contentRange] of [
      ['bytes=0-1', '01', 'bytes 0-1/10'],
      ['bytes=8-', '89', 'bytes 8-9/10'],
      ['bytes=-3', '789', 'bytes 7-9/10'],
    ] as const) {
      const res = await request(server).get('/r').set('Range', range);
      expect([res.status, res.text, res.headers['content-range']], range).toEqual([
        206,
        body,
        contentRange,
      ]);
      expect(res.headers['content-length']).toBe(String(body.length));
    }
    // Not one satisfiable range: the whole stored response, as a server may always send.
    const whole = await request(server).get('/r').set('Range', 'bytes=0-1,4-5');
    expect([whole.status, whole.text]).toEqual([200, '0123456789']);
    expect(ranges).toEqual([undefined]);
  });

  it('a stored 206 answers ranges inside its part; anything else goes to the origin', async () => {
    const { app: server, ranges } = app();
    const first = await request(server).get('/r').set('Range', 'bytes=4-7');
    expect([first.status, first.text]).toEqual([206, '4567']);
    await store.idle();
    const inside = await request(server).get('/r').set('Range', 'bytes=5-6');
    expect([inside.status, inside.text, inside.headers['content-range']]).toEqual([
      206,
      '56',
      'bytes 5-6/10',
    ]);
    const whole = await request(server).get('/r');
    expect([whole.status, whole.text]).toEqual([200, '0123456789']);
    expect(ranges).toEqual(['bytes=4-7', undefined]);
  });
});
