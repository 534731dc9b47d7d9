import { InvalidArgumentError } from '@momento-http/core';
import { eventually } from '@momento-http/test-kit';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { cachedApp, fileBackend, frameworks, uniquePrefix } from './support';

const { store } = await fileBackend();

describe.each(frameworks)('purge({ all: true }) ($name)', ({ express }) => {
  function instance(keyPrefix: string) {
    let calls = 0;
    // Each instance listens on its own port, which is part of the default key: key on the path.
    const keyGenerator = (req: { originalUrl?: string }) => req.originalUrl;
    const built = cachedApp(express, store, { keyPrefix, keyGenerator }, (a) => {
      for (const path of ['/a', '/b']) {
        a.get(path, (_req, res) => {
          calls++;
          res.set('Cache-Control', 'public, max-age=600').send(`${path} ${calls}`);
        });
      }
    });
    return { ...built, calls: () => calls };
  }
  const cacheOf = async (app: ReturnType<typeof instance>['app'], path: string) =>
    (await request(app).get(path)).headers['x-cache'];

  it('drops every entry of the middleware, here at once and in other instances within about a second', async () => {
    const prefix = uniquePrefix();
    const one = instance(prefix);
    const two = instance(prefix);
    const other = instance(uniquePrefix());
    for (const app of [one.app, other.app]) {
      await request(app).get('/a');
      await request(app).get('/b');
    }
    await store.idle();
    expect([await cacheOf(two.app, '/a'), await cacheOf(two.app, '/b')]).toEqual(['HIT', 'HIT']);
    await one.cache.purge({ all: true });
    expect(await cacheOf(one.app, '/a')).toBe('MISS');
    await store.idle();
    // The other instance reads the purge time at most once a second; poll with a URL nobody refills.
    await eventually(async () => (await cacheOf(two.app, '/b')) === 'MISS', { timeoutMs: 4000 });
    // Another key prefix is another middleware: untouched.
    expect(await cacheOf(other.app, '/a')).toBe('HIT');
  }, 10_000);

  it('rejects a non-boolean all', async () => {
    const { cache } = instance(uniquePrefix());
    await expect(cache.purge({ all: 'yes' as unknown as boolean })).rejects.toThrow(
      InvalidArgumentError,
    );
  });
});
