import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { eventually } from '@momento-http/test-kit';
import { afterAll, describe, expect, it } from 'vitest';
import { fileBackend, hostCall, startInstance, uniquePrefix } from './support';

const { backend } = await fileBackend();
const children: ChildProcess[] = [];
// Registered after fileBackend's hook, so it runs first: the instances stop before the server.
afterAll(() => {
  for (const child of children) child.kill();
});

const fixture = fileURLToPath(new URL('./fixtures/instance.ts', import.meta.url));

/** Starts one app instance in its own process; resolves with its base URL. */
const instance = (name: string, version: number, prefix: string) =>
  startInstance(children, fixture, {
    CACHE_URL: backend.server.url,
    CACHE_API_KEY: backend.server.createApiKey(),
    KEY_PREFIX: prefix,
    NAME: name,
    VERSION: String(version),
  });

/** `/p`, or with a body the purge route, with a Host header. */
const call = (base: string, method = 'GET', body?: string) =>
  hostCall(base, method, body ? '/__purge' : '/p', body);
const get = (base: string) => call(base);

describe('two app processes over one local server', () => {
  it('share entries; a purge or a POST in one process is seen by the other', async () => {
    const prefix = uniquePrefix();
    const [a, b] = await Promise.all([instance('a', 1, prefix), instance('b', 2, prefix)]);
    expect(await get(a)).toEqual({ text: 'from a v1', cache: 'MISS' });
    // Once a reads its own entry back, it is in the shared cache.
    await eventually(async () => (await get(a)).cache === 'HIT');
    expect(await get(b)).toEqual({ text: 'from a v1', cache: 'HIT' });

    await call(b, 'POST', JSON.stringify({ tags: ['products'] }));
    expect(await get(a)).toEqual({ text: 'from a v1', cache: 'MISS' }); // purged; a refills
    await eventually(async () => (await get(a)).cache === 'HIT');
    expect(await get(b)).toEqual({ text: 'from a v1', cache: 'HIT' });

    await call(b, 'POST'); // an unsafe method in b invalidates the URL for a too
    expect((await get(a)).cache).toBe('MISS');
  }, 30_000);
});
