import { eventually, type LocalServer, startLocalServer } from '@momento-http/test-kit';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORMS, type Platform, type RunningApp, startApp } from './support/app';
import { Db, TestAppModule } from './support/controllers';
import { uniqueNamespace } from './support/namespace';

let momento: LocalServer;
beforeAll(async () => {
  momento = await startLocalServer({ clientOptions: { retries: 0 } });
});
afterAll(() => momento.server.close());

const CASES = PLATFORMS.flatMap((platform) => [
  { platform, nearCache: false },
  { platform, nearCache: true },
]);

describe.each(CASES)(
  '@CacheEvict across two instances on $platform, near cache $nearCache',
  ({ platform, nearCache }: { platform: Platform; nearCache: boolean }) => {
    let a: RunningApp;
    let b: RunningApp;
    const db = new Db();
    beforeAll(async () => {
      // Two app instances, one cache and one "database": like two pods behind a load balancer.
      // With the near cache, tag checks still go to Momento: invalidation is never delayed.
      const options = { client: momento.client(), namespace: uniqueNamespace(), nearCache };
      a = await startApp(platform, TestAppModule.with(options, db));
      b = await startApp(platform, TestAppModule.with(options, db));
    });
    afterAll(async () => {
      await a.close();
      await b.close();
    });

    it('a POST on one instance invalidates the tagged GET seen by the other', async () => {
      const before = await request(a.url).get('/http/items').expect(200);
      expect(before.body.items).toEqual([]);
      // Instance B is served A's entry from Momento.
      await eventually(
        async () => (await request(b.url).get('/http/items')).headers['x-cache'] === 'HIT',
      );

      await request(a.url).post('/http/items').send({ name: 'apple' }).expect(201);

      // The eviction completed before the POST answered: B's very next read is a miss.
      const after = await request(b.url).get('/http/items').expect(200);
      expect(after.headers['x-cache']).toBe('MISS');
      expect(after.body.items).toEqual(['apple']);
      await eventually(
        async () => (await request(a.url).get('/http/items')).headers['x-cache'] === 'HIT',
      );
      expect((await request(a.url).get('/http/items')).body.items).toEqual(['apple']);
    });

    it('deletes cache-manager keys given to @CacheEvict({ keys })', async () => {
      await request(b.url).get('/stock/counter').expect(200);
      await eventually(
        async () => (await request(b.url).get('/stock/counter')).headers['x-cache'] === 'HIT',
      );
      await request(a.url).post('/http/items').send({ name: 'pear' }).expect(201);
      if (nearCache) {
        // B's near cache may serve the deleted key for up to its ttlMs (1 s); then B sees the delete.
        await eventually(
          async () => (await request(b.url).get('/stock/counter')).headers['x-cache'] === 'MISS',
          { timeoutMs: 3000 },
        );
      } else {
        const after = await request(b.url).get('/stock/counter').expect(200);
        expect(after.headers['x-cache']).toBe('MISS');
      }
    });
  },
);
