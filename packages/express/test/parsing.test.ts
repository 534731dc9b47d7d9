import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { cachedApp, fileBackend, frameworks } from './support';

const { store } = await fileBackend();

describe.each(frameworks)('field parsing by the RFCs ($name)', ({ express }) => {
  async function twice(headers: Record<string, string>, status = 200) {
    let calls = 0;
    const { app } = cachedApp(express, store, {}, (a) =>
      a.get('/r', (_req, res) => {
        calls++;
        res.status(status).set(headers).send(`r ${calls}`);
      }),
    );
    await request(app).get('/r');
    await store.idle();
    const second = await request(app).get('/r');
    return { calls, second };
  }

  it('an Expires that is not an HTTP-date means stale; the obsolete date forms are accepted', async () => {
    const future = new Date(Date.now() + 3_600_000);
    const imf = future.toUTCString(); // Sun, 06 Nov 2050 08:49:37 GMT
    const [weekday, day, month, year, time] = imf.replace(',', '').split(' ') as string[];
    for (const invalid of [
      imf.replace('GMT', 'UTC'),
      imf.replace(',', ''),
      imf.replace(' ', '  '),
      `${weekday}, ${day}-${month}-${year} ${time} GMT`,
      imf.replace(/ 0(\d):/, ' $1:').replace(/ (\d\d):/, ' $1:'),
    ]) {
      if (invalid === imf) continue;
      expect((await twice({ Expires: invalid })).calls, invalid).toBe(2);
    }
    const long = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
    const rfc850 = `${long[future.getUTCDay()]}, ${day}-${month}-${(year as string).slice(2)} ${time} GMT`;
    const asctime = `${weekday} ${month} ${String(future.getUTCDate()).padStart(2, ' ')} ${time} ${year}`;
    for (const valid of [imf, rfc850, asctime, imf.toUpperCase()]) {
      expect((await twice({ Expires: valid })).calls, valid).toBe(1);
    }
  });

  it('Age must be a whole number: 7200.0 is ignored, 7200 makes a max-age=3600 response stale', async () => {
    expect((await twice({ 'Cache-Control': 'max-age=3600', Age: '7200.0' })).calls).toBe(1);
    expect((await twice({ 'Cache-Control': 'max-age=3600', Age: '7200' })).calls).toBe(2);
  });

  it('directive names are case-insensitive', async () => {
    expect((await twice({ 'Cache-Control': 'MAX-AGE=600' })).calls).toBe(1);
    expect((await twice({ 'Cache-Control': 'max-age=600, NO-CACHE' })).calls).toBe(2);
    expect((await twice({ 'Cache-Control': 'max-age=600, No-Store' })).calls).toBe(2);
  });

  it('must-understand: a status this cache stores lifts the no-store paired with it', async () => {
    const known = await twice({ 'Cache-Control': 'max-age=600, must-understand, no-store' });
    expect(known.calls).toBe(1);
    const unknown = await twice({ 'Cache-Control': 'max-age=600, must-understand, no-store' }, 299);
    expect(unknown.calls).toBe(2);
  });

  it('If-Modified-Since against a stored response without Last-Modified compares its Date', async () => {
    let calls = 0;
    const { app } = cachedApp(express, store, {}, (a) =>
      a.get('/d', (_req, res) => {
        calls++;
        res.set('Cache-Control', 'max-age=600').set('ETag', '').send('d');
      }),
    );
    const first = await request(app).get('/d');
    expect(first.headers['last-modified']).toBeUndefined();
    await store.idle();
    const date = Date.parse(first.headers.date as string);
    const after = new Date(date + 60_000).toUTCString();
    const before = new Date(date - 60_000).toUTCString();
    expect((await request(app).get('/d').set('If-Modified-Since', after)).status).toBe(304);
    expect((await request(app).get('/d').set('If-Modified-Since', before)).status).toBe(200);
    expect(calls).toBe(1);
  });
});
