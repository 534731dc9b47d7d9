import { findRedisServer, skipWithoutRedis, startRedis } from '@momento-http/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/index.js';
import { startCli } from './cli-process.js';
import { call } from './helpers.js';

const binary = findRedisServer();

describe.skipIf(skipWithoutRedis('server/redis.test'))(
  'Redis/Valkey storage',
  { timeout: 30_000 },
  () => {
    let redis: Awaited<ReturnType<typeof startRedis>>;
    beforeAll(async () => {
      redis = await startRedis(binary!);
    });
    afterAll(() => redis?.stop());

    it('two server processes over one redis-server see one dataset', async () => {
      const env = { MOMENTO_HTTP_SERVER_SECRET: 'shared-secret-for-test' };
      const [a, b] = await Promise.all([
        startCli(
          [
            '--port',
            '0',
            '--redis-url',
            redis.url,
            '--cache',
            'default-cache',
            '--cache',
            'only-in-a',
          ],
          env,
        ),
        startCli(['--port', '0', '--redis-url', redis.url], env),
      ]);
      try {
        const put = await call(
          { url: a.endpoint },
          '/cache/default-cache?key=shared&ttl_seconds=60',
          {
            method: 'PUT',
            key: a.key,
            body: 'from a',
          },
        );
        expect(put.status).toBe(204);
        // b's key works on a too (same secret), and b reads what a wrote.
        expect(
          (await call({ url: b.endpoint }, '/cache/default-cache?key=shared', { key: b.key })).body,
        ).toBe('from a');
        await call({ url: b.endpoint }, '/cache/default-cache?key=shared', {
          method: 'DELETE',
          key: a.key,
        });
        expect(
          (await call({ url: a.endpoint }, '/cache/default-cache?key=shared', { key: a.key }))
            .status,
        ).toBe(404);
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    });

    it('is binary-safe, keeps caches apart, and Redis enforces the TTL', async () => {
      const server = await startServer({
        port: 0,
        redisUrl: redis.url,
        caches: ['default-cache', 'other'],
      });
      const key = server.createApiKey();
      try {
        const binKey = Buffer.from([0, 0xff, 0x3a, 0x0a]).toString('base64url');
        const value = Buffer.from([0, 1, 2, 0xfe, 0xff, 0x0d, 0x0a]);
        await call(server, `/cache/default-cache?key_base64=${binKey}&ttl_seconds=1`, {
          method: 'PUT',
          key,
          body: value,
        });
        const hit = await call(server, `/cache/default-cache?key_base64=${binKey}`, { key });
        expect(hit.bytes.equals(value)).toBe(true);
        expect((await call(server, `/cache/other?key_base64=${binKey}`, { key })).status).toBe(404);
        const deadline = Date.now() + 5000;
        let status = 200;
        while (status === 200 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 100));
          status = (await call(server, `/cache/default-cache?key_base64=${binKey}`, { key }))
            .status;
        }
        expect(status).toBe(404);
      } finally {
        await server.close();
      }
    });

    it('answers 503 with Retry-After while Redis is down', async () => {
      const own = await startRedis(binary!);
      const server = await startServer({ port: 0, redisUrl: own.url });
      const key = server.createApiKey();
      try {
        await own.stop();
        const down = await call(server, '/cache/default-cache?key=a', { key });
        expect(down.status).toBe(503);
        expect(down.headers.get('retry-after')).toBe('1');
      } finally {
        await server.close();
      }
    });

    it('fails fast with a clear message when Redis is unreachable', async () => {
      await expect(startServer({ port: 0, redisUrl: 'redis://127.0.0.1:1' })).rejects.toThrow(
        /cannot connect to Redis/,
      );
    });
  },
);
