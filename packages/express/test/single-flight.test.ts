import { eventually, RecordingStore } from '@momento-http/test-kit';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { type ResponseCacheOptions, responseCache } from '../src/index';
import { fileBackend, frameworks, gate, listen, uniquePrefix } from './support';

const { store } = await fileBackend();

describe.each(frameworks)('concurrent misses ($name)', ({ express }) => {
  /**
   * Sends `n` concurrent GETs (headers per request from `headersFor`) and lines them up: all
   * arrive and wait on the cache read, then the origin is let go once its first call started.
   */
  async function burst(
    n: number,
    respond: (req: import('express').Request, res: import('express').Response) => void,
    options: ResponseCacheOptions = {},
    headersFor: (i: number) => Record<string, string> = () => ({}),
  ) {
    const readGate = gate();
    const originGate = gate();
    // Reads wait at the gate, so concurrent requests line up deterministically.
    const gatedReads = new RecordingStore(store);
    gatedReads.rule({ method: 'get', until: readGate.wait });
    let arrived = 0;
    let calls = 0;
    const app = express();
    app.use((_req, _res, next) => {
      arrived++;
      next();
    });
    app.use(
      responseCache({
        store: gatedReads,
        keyPrefix: uniquePrefix(),
        ...options,
      }),
    );
    app.get('/s', async (req, res) => {
      calls++;
      await originGate.wait;
      respond(req, res);
    });
    const server = listen(app);
    const responses = Promise.all(
      Array.from({ length: n }, (_, i) =>
        request(server)
          .get('/s')
          .set(headersFor(i))
          .then((r) => r),
      ),
    );
    // Every request is now parked on the one cache read; release it, then the origin.
    await eventually(() => arrived === n);
    readGate.open();
    await eventually(() => calls >= 1);
    originGate.open();
    return { responses: await responses, calls: () => calls };
  }

  it('5 concurrent misses make 1 origin call (apicache makes 5)', async () => {
    const { responses, calls } = await burst(5, (_req, res) =>
      res.set('Cache-Control', 'public, max-age=60').send('shared'),
    );
    expect(calls()).toBe(1);
    expect(responses.map((r) => r.text)).toEqual(Array(5).fill('shared'));
    expect(responses.map((r) => r.headers['x-cache']).sort()).toEqual([
      'HIT',
      'HIT',
      'HIT',
      'HIT',
      'MISS',
    ]);
  });

  it('a response that may not be shared (Set-Cookie) is not handed to the others', async () => {
    const { responses, calls } = await burst(3, (_req, res) =>
      res.set('Cache-Control', 'public, max-age=60').cookie('sid', 'x').send('private'),
    );
    expect(calls()).toBe(3);
    for (const r of responses) expect(r.headers['set-cookie']).toHaveLength(1);
  });

  it('waiting requests with other Vary values call the origin themselves', async () => {
    const { responses, calls } = await burst(
      4,
      (req, res) =>
        res
          .set('Cache-Control', 'public, max-age=60')
          .vary('Accept-Language')
          .send(String(req.headers['accept-language'])),
      {},
      (i) => ({ 'Accept-Language': i % 2 ? 'fr' : 'en' }),
    );
    expect(responses.map((r) => r.text)).toEqual(['en', 'fr', 'en', 'fr']);
    expect(calls()).toBeGreaterThanOrEqual(2);
    expect(calls()).toBeLessThanOrEqual(3);
  });

  it('singleFlight: false lets every miss through', async () => {
    const { calls } = await burst(
      3,
      (_req, res) => res.set('Cache-Control', 'public, max-age=60').send('x'),
      { singleFlight: false },
    );
    expect(calls()).toBe(3);
  });
});
