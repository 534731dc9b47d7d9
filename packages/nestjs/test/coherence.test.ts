/**
 * Coherent near caches between two Nest app processes (near `ttlMs` 60 s): a value set in A, or
 * evicted by A's `@CacheEvict`, is seen by B within the poll, where without coherence B would
 * serve its near copy for a minute.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { eventually, type LocalServer, startLocalServer } from '@momento-http/test-kit';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueNamespace } from './support/namespace';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const children: ChildProcess[] = [];

/** Starts the coherent fixture app in its own Node process; resolves its URL. */
async function startInstance(env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/coherent-app.ts'], {
    cwd: packageDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`;
}

let momento: LocalServer;
beforeAll(async () => {
  momento = await startLocalServer();
});
afterAll(async () => {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((child) => child.exitCode ?? once(child, 'exit')));
  await momento.close();
});

type Read = { value: string | null; stats: { nearHits: number } };
const read = async (app: string) => (await request(app).get('/value').expect(200)).body as Read;

/** `app` answers `value` from its near cache (no cache request): it would for 60 s. */
const heldNear = (app: string, value: string) =>
  eventually(
    async () => {
      const first = await read(app);
      const second = await read(app);
      return (
        first.value === value &&
        second.value === value &&
        second.stats.nearHits === first.stats.nearHits + 1
      );
    },
    { what: `held near: ${value}` },
  );

describe('two Nest app processes with coherent near caches', () => {
  it("A's set and @CacheEvict reach B's near cache", async () => {
    const env = {
      MOMENTO_ENDPOINT: momento.server.url,
      MOMENTO_API_KEY: momento.server.createApiKey(),
      NAMESPACE: uniqueNamespace(),
    };
    const [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
    await request(a).put('/value').send({ value: 'v1' }).expect(200);
    await heldNear(b, 'v1');

    await request(a).put('/value').send({ value: 'v2' }).expect(200);
    await eventually(async () => (await read(b)).value === 'v2', { what: "A's set at B" });
    await heldNear(b, 'v2');

    await request(a).post('/value/evict').expect(201);
    await eventually(async () => (await read(b)).value === null, { what: "A's evict at B" });
    expect((await read(a)).value).toBeNull();
  }, 60_000);
});
