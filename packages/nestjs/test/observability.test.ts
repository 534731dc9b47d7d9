/**
 * Issue 17: failures speak through Nest's Logger by default (once per cause and process; `onError`
 * replaces the report), `stats()` counts what the module did, and `HttpCacheInterceptor` sends
 * RFC 9211 `Cache-Status` as the Express middleware does, against the real local server.
 */
import {
  HttpCacheInterceptor,
  MOMENTO_CACHE,
  MomentoCacheOptionsError,
  MomentoCacheService,
} from '@momento-http/nestjs';
import {
  eventually,
  failureCauses,
  type LocalServer,
  README_MISSPELT_CACHE,
  readmeFailureReport,
  startLocalServer,
} from '@momento-http/test-kit';
import { Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MomentoCacheModuleOptions } from '../src/index';
import { PLATFORMS, type Platform, type RunningApp, startApp } from './support/app';
import { Db, TestAppModule } from './support/controllers';
import { uniqueNamespace } from './support/namespace';

let momento: LocalServer;
beforeAll(async () => {
  momento = await startLocalServer({ clientOptions: { retries: 0 } });
});
afterAll(() => momento.server.close());
afterEach(() => {
  vi.restoreAllMocks();
});

/** Runs `use` against a fresh app with `options`, then closes it. */
async function withApp(
  options: MomentoCacheModuleOptions,
  use: (app: RunningApp) => Promise<void>,
  platform: Platform = 'express',
): Promise<void> {
  const app = await startApp(
    platform,
    TestAppModule.with({ namespace: uniqueNamespace(), ...options }, new Db()),
  );
  try {
    await use(app);
  } finally {
    await app.close();
  }
}

/** What the module logged through Nest's Logger as warnings. */
function captureLoggerWarnings(): () => string[] {
  const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => {});
  return () => warn.mock.calls.map((args) => String(args[0]));
}

describe('failure reports', { timeout: 60_000 }, () => {
  it('each cause is one Logger warning over many requests, naming the cause and never the key', async () => {
    for (const cause of await failureCauses(momento, 'nestjs')) {
      const warnings = captureLoggerWarnings();
      await withApp({ store: cause.store }, async (app) => {
        for (let i = 0; i < 4; i++) {
          await request(app.url).get('/http/decorated').expect(202);
          await request(app.url).get('/stock/counter').expect(200);
        }
        await app.app.get(MomentoCacheService).set('k', 'v');
      });
      expect(warnings(), cause.name).toHaveLength(1);
      expect(warnings()[0], cause.name).toMatch(/^\[@momento-http\/nestjs\] cache \w+ failed: /);
      expect(warnings()[0], cause.name).toContain(cause.says);
      expect(warnings()[0], cause.name).toContain('MomentoCacheModule onError');
      expect(warnings()[0], cause.name).not.toContain(momento.apiKey.slice(-24));
      vi.restoreAllMocks();
    }
  });

  it('a given onError receives the failures and nothing is logged', async () => {
    const [cause] = await failureCauses(momento, 'nestjs-onerror');
    const warnings = captureLoggerWarnings();
    const seen: string[] = [];
    await withApp(
      { store: cause!.store, onError: (_error, { operation }) => seen.push(operation) },
      async (app) => {
        await request(app.url).get('/http/decorated').expect(202);
        await request(app.url).get('/stock/counter').expect(200);
        await app.app.get(MomentoCacheService).set('k', 'v');
      },
    );
    expect(warnings()).toEqual([]);
    expect(seen).toEqual(expect.arrayContaining(['get', 'set']));
  });

  it("logs, word for word, the report the README's Troubleshooting shows", async () => {
    const warnings = captureLoggerWarnings();
    await withApp({ client: momento.client(), cacheName: README_MISSPELT_CACHE }, async (app) => {
      await request(app.url).get('/http/decorated').expect(202);
    });
    expect(warnings()).toEqual([readmeFailureReport(new URL('../README.md', import.meta.url))]);
  });
});

describe('stats()', { timeout: 30_000 }, () => {
  it('counts each interceptor lookup once: misses, then hits, with bytes', async () => {
    await withApp({ client: momento.client() }, async (app) => {
      const service = app.app.get(MomentoCacheService);
      const interceptor = new HttpCacheInterceptor(app.app.get(MOMENTO_CACHE), new Reflector());
      await request(app.url).get('/http/decorated');
      await eventually(
        async () => (await request(app.url).get('/http/decorated')).headers['x-cache'] === 'HIT',
      );
      const before = interceptor.stats();
      expect(before.misses).toBeGreaterThanOrEqual(1);
      expect(before.bytesWritten).toBeGreaterThan(0);
      for (let i = 0; i < 3; i++) await request(app.url).get('/http/decorated');
      const after = interceptor.stats();
      expect(after.hits - before.hits).toBe(3);
      expect([after.misses, after.errors, after.stale]).toEqual([before.misses, 0, 0]);
      expect(after.bytesRead).toBeGreaterThan(before.bytesRead);
      expect(service.stats().hits).toBeGreaterThanOrEqual(after.hits);
    });
  });

  it('MomentoCacheService.stats() adds the service reads (through the Keyv store)', async () => {
    await withApp({ client: momento.client() }, async (app) => {
      const service = app.app.get(MomentoCacheService);
      const before = service.stats();
      await service.set('a', { n: 1 });
      await service.get('a');
      await service.get('missing');
      const after = service.stats();
      expect(after.hits - before.hits).toBe(1);
      expect(after.misses - before.misses).toBe(1);
      expect(after.bytesWritten).toBeGreaterThan(before.bytesWritten);
      expect(after.errors).toBe(0);
    });
  });

  it('counts failures as errors and their lookups as misses', async () => {
    const [cause] = await failureCauses(momento, 'nestjs-stats');
    await withApp({ store: cause!.store, onError: () => {} }, async (app) => {
      await request(app.url).get('/http/decorated');
      await request(app.url).get('/http/decorated');
      const stats = app.app.get(MomentoCacheService).stats();
      expect(stats.hits).toBe(0);
      expect(stats.misses).toBe(2);
      expect(stats.errors).toBeGreaterThanOrEqual(2);
    });
  });
});

describe.each(PLATFORMS)('Cache-Status on %s', { timeout: 30_000 }, (platform) => {
  it('miss: fwd=uri-miss; hit: hit and ttl; other methods: fwd=method; no key: fwd=bypass', async () => {
    await withApp(
      { client: momento.client() },
      async (app) => {
        const miss = await request(app.url).get('/http/decorated');
        expect(miss.headers['cache-status']).toBe('momento-http; fwd=uri-miss');
        await eventually(
          async () => (await request(app.url).get('/http/decorated')).headers['x-cache'] === 'HIT',
        );
        const hit = await request(app.url).get('/http/decorated');
        // The module's default TTL is 3600 s: what is left of it.
        const [, ttl] =
          /^momento-http; hit; ttl=(\d+)$/.exec(String(hit.headers['cache-status'])) ?? [];
        expect(Number(ttl)).toBeGreaterThan(3500);
        expect(Number(ttl)).toBeLessThanOrEqual(3600);
        const post = await request(app.url).post('/http/items').send({ name: 'x' });
        expect(post.headers['cache-status']).toBe('momento-http; fwd=method');
        const bypass = await request(app.url).get('/tenant/home');
        expect(bypass.headers['cache-status']).toBe('momento-http; fwd=bypass');
      },
      platform,
    );
  });

  it('http.cacheStatus names this cache, or false sends none', async () => {
    await withApp(
      { client: momento.client(), http: { cacheStatus: 'edge-42' } },
      async (app) => {
        const res = await request(app.url).get('/http/decorated');
        expect(res.headers['cache-status']).toBe('edge-42; fwd=uri-miss');
      },
      platform,
    );
    await withApp(
      { client: momento.client(), http: { cacheStatus: false } },
      async (app) => {
        const res = await request(app.url).get('/http/decorated');
        expect(res.headers['cache-status']).toBeUndefined();
        expect(res.headers['x-cache']).toBe('MISS');
      },
      platform,
    );
  });
});

it('refuses a Cache-Status name that is not a token', async () => {
  await expect(
    startApp(
      'express',
      TestAppModule.with({ store: momento.store(), http: { cacheStatus: 'two words' } }, new Db()),
    ),
  ).rejects.toThrow(MomentoCacheOptionsError);
});
