/**
 * Coherent near caches between two Express app processes (near `ttlMs` 60 s): a purge (tags,
 * URLs, everything), an unsafe method or a new entry in one instance is seen by the other within
 * the poll, where without coherence it would serve its near copy for a minute. Memory mode (one
 * server) and Redis mode (two servers over one redis-server, one per instance).
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { type RunningServer, startServer } from '@momento-http/server';
import { eventually, skipWithoutRedis, startRedis } from '@momento-http/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostCall, startInstance, uniquePrefix } from './support';

const fixture = fileURLToPath(new URL('./fixtures/coherent-instance.ts', import.meta.url));
const secret = 'one signing secret for both servers';

/** Starts one app instance in its own process; resolves with its base URL. */
const instance = (children: ChildProcess[], server: RunningServer, name: string, prefix: string) =>
  startInstance(children, fixture, {
    CACHE_URL: server.url,
    CACHE_API_KEY: server.createApiKey(),
    KEY_PREFIX: prefix,
    NAME: name,
    NEAR_TTL_MS: '60000',
  });

const call = hostCall;
const get = (base: string) => call(base, 'GET', '/p');
const purge = (base: string, target: object) =>
  call(base, 'POST', '/__purge', JSON.stringify(target));
const nearHits = async (base: string) =>
  (JSON.parse((await call(base, 'GET', '/__stats')).text) as { nearHits: number }).nearHits;

/** `base` serves `/p` from its near cache (no request to the cache): it would for 60 s. */
async function servedNear(base: string): Promise<string> {
  return eventually(
    async () => {
      const before = await nearHits(base);
      const { text, cache } = await get(base);
      return cache === 'HIT' && (await nearHits(base)) === before + 1 && text;
    },
    { what: 'a near hit' },
  );
}

const modes = [
  ['memory', false],
  ['redis', skipWithoutRedis('express coherence')],
] as const;

describe.each(modes)('two Express instances, coherent near caches (%s mode)', (mode, skip) => {
  const children: ChildProcess[] = [];
  let servers: RunningServer[] = [];
  let stopRedis: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    if (skip) return;
    if (mode === 'memory') {
      servers = [await startServer({ port: 0, signingSecret: secret })];
    } else {
      const redis = await startRedis();
      stopRedis = () => redis.stop();
      const options = { port: 0, redisUrl: redis.url, signingSecret: secret };
      servers = [await startServer(options), await startServer(options)];
    }
  }, 30_000);
  afterAll(async () => {
    for (const child of children) child.kill();
    await Promise.all(children.map((child) => child.exitCode ?? once(child, 'exit')));
    await Promise.all(servers.map((server) => server.close()));
    await stopRedis?.();
  });

  it.skipIf(skip)(
    'purges (tags, URLs, all), unsafe methods and new entries in A reach B',
    async () => {
      const prefix = uniquePrefix();
      const [a, b] = await Promise.all([
        instance(children, servers[0]!, 'a', prefix),
        instance(children, servers.at(-1)!, 'b', prefix),
      ]);
      expect(await get(b)).toEqual({ text: 'from b #1', cache: 'MISS' });
      expect(await servedNear(b)).toBe('from b #1');

      await purge(a, { tags: ['products'] });
      await eventually(async () => (await get(b)).cache === 'MISS', { what: 'tag purge at B' });
      expect(await servedNear(b)).toBe('from b #2');

      await purge(a, { urls: ['http://shop.example/p'] });
      await eventually(async () => (await get(b)).cache === 'MISS', { what: 'URL purge at B' });
      expect(await servedNear(b)).toBe('from b #3');

      await purge(a, { all: true });
      await eventually(async () => (await get(b)).cache === 'MISS', { what: 'purge-all at B' });
      expect(await servedNear(b)).toBe('from b #4');

      // A replaces the entry (a request that must not be served from cache refills it): B drops
      // its near copy and serves A's, never missing in between.
      expect(await call(a, 'GET', '/p', undefined, { 'cache-control': 'no-cache' })).toMatchObject({
        text: 'from a #1',
      });
      await eventually(async () => (await get(b)).text === 'from a #1', { what: "A's entry at B" });
      expect((await get(b)).cache).toBe('HIT');

      await call(a, 'POST', '/p'); // an unsafe method invalidates the URL
      await eventually(async () => (await get(b)).cache === 'MISS', { what: 'POST seen at B' });
    },
    60_000,
  );
});
