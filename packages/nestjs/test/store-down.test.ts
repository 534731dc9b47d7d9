import { type LocalServer, startLocalServer } from '@momento-http/test-kit';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORMS, type Platform, type RunningApp, startApp } from './support/app';
import { Db, TestAppModule } from './support/controllers';
import { uniqueNamespace } from './support/namespace';

const TIMEOUT_MS = 300;
/** The store hangs for far longer than any request may take. */
const HANG_MS = 20_000;

let momento: LocalServer;
beforeAll(async () => {
  momento = await startLocalServer({ clientOptions: { retries: 0 } });
});
afterAll(() => momento.server.close());

describe.each(PLATFORMS)('a hung or dead store on %s', (platform: Platform) => {
  let app: RunningApp;
  const errors: string[] = [];
  beforeAll(async () => {
    const options = {
      client: momento.client(),
      namespace: uniqueNamespace(),
      timeoutMs: TIMEOUT_MS,
      onError: (_error: unknown, context: { operation: string }) => {
        errors.push(context.operation);
      },
    };
    app = await startApp(platform, TestAppModule.with(options, new Db()));
  });
  afterAll(() => app.close());
  afterEach(() => momento.server.faults.clear());

  it('answers within the timeout when every store call hangs', async () => {
    momento.server.faults.add({ path: '/cache', delayMs: HANG_MS });
    for (const path of ['/stock/counter', '/http/me', '/http/items']) {
      const started = Date.now();
      const res = await request(app.url).get(path).timeout(5000);
      expect(res.status).toBe(200);
      expect(res.headers['x-cache']).toBe('MISS');
      // The store hangs for 20 s; the answer comes after the 300 ms deadline (slack for a loaded CI).
      expect(Date.now() - started).toBeLessThan(4000);
    }
    expect(errors).toContain('get');
  });

  it('answers when the store fails with 500s', async () => {
    momento.server.faults.add({ path: '/cache', status: 500 });
    await request(app.url).get('/http/status').expect(203);
    await request(app.url).post('/http/items').send({ name: 'x' }).expect(201);
  });
});

describe.each(PLATFORMS)('a closed server on %s', (platform: Platform) => {
  it('still answers every request', async () => {
    const local = await startLocalServer({ clientOptions: { retries: 0 } });
    const app = await startApp(
      platform,
      TestAppModule.with(
        { client: local.client(), namespace: uniqueNamespace(), timeoutMs: TIMEOUT_MS },
        new Db(),
      ),
    );
    try {
      await local.server.close();
      await request(app.url).get('/stock/counter').expect(200);
      await request(app.url).get('/http/items').expect(200);
      await request(app.url).post('/http/items').send({ name: 'y' }).expect(201);
    } finally {
      await app.close();
    }
  });
});
