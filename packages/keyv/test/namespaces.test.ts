// Namespaces on one shared cache: isolation between Keyv instances, clear() scoped to one
// namespace, and a clear made by one process seen by another (a real child process).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { eventually, useLocalServer } from '@momento-http/test-kit';
import { describe, expect, it } from 'vitest';
import { createKeyv } from '../src/index';
import { uniqueNamespace } from './helpers';

const local = useLocalServer();
const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** Runs the other-process fixture: a separate Node process configured only by env vars. */
async function otherProcess(...args: string[]): Promise<{ result: unknown; errors: string[] }> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'test/fixtures/other-process.ts', ...args],
    {
      cwd: packageDir,
      env: {
        ...process.env,
        MOMENTO_API_KEY: local.server.createApiKey(),
        MOMENTO_ENDPOINT: local.server.url,
        MOMENTO_CACHE_NAME: 'default-cache',
      },
      timeout: 30_000,
    },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

describe('namespaces on one cache', () => {
  it('two Keyv instances with different namespaces do not see each other', async () => {
    const a = createKeyv({ client: local.client(), namespace: uniqueNamespace('a') });
    const b = createKeyv({ client: local.client(), namespace: uniqueNamespace('b') });
    await a.set('shared-key', 'from a');
    await b.set('shared-key', 'from b');
    expect(await a.get('shared-key')).toBe('from a');
    expect(await b.get('shared-key')).toBe('from b');
    expect(await a.delete('shared-key')).toBe(true);
    expect(await b.get('shared-key')).toBe('from b');
    await a.set('other', 1);
    await a.clear();
    expect(await a.get('other')).toBeUndefined();
    expect(await b.get('shared-key')).toBe('from b');
  });

  it('clear() leaves keys of other apps on the same cache alone', async () => {
    const cache = local.client().cache('default-cache');
    await cache.set('another-app:config', 'keep me', { ttlSeconds: 60 });
    const keyv = createKeyv({ client: local.client(), namespace: uniqueNamespace() });
    await keyv.set('config', 'mine');
    await keyv.clear();
    expect(await keyv.get('config')).toBeUndefined();
    expect(new TextDecoder().decode(await cache.get('another-app:config'))).toBe('keep me');
  });

  it('has no double prefix: Keyv prefixing is off and the store namespaces keys itself', async () => {
    const namespace = uniqueNamespace();
    const keyv = createKeyv({ client: local.client(), namespace });
    expect(keyv.useKeyPrefix).toBe(false);
    expect(keyv.store.namespace).toBe(namespace);
    await keyv.set('foo', 'bar');
    expect(await keyv.store.get('foo')).toContain('"bar"'); // stored under `foo`, not `ns:foo`
  });
});

describe('clear across instances and processes', () => {
  it('a clear through one store instance is seen at once by another', async () => {
    const namespace = uniqueNamespace();
    const first = createKeyv({ client: local.client(), namespace });
    const second = createKeyv({ client: local.client({}), namespace });
    await first.set('k', 'v');
    expect(await second.get('k')).toBe('v');
    await first.clear();
    expect(await second.get('k')).toBeUndefined();
  });

  it('with generationCacheMs, another instance sees the clear within that time', async () => {
    const namespace = uniqueNamespace();
    const writer = createKeyv({ client: local.client(), namespace });
    const cached = createKeyv({ client: local.client(), namespace, generationCacheMs: 200 });
    await writer.set('k', 'v');
    expect(await cached.get('k')).toBe('v');
    await writer.clear();
    await eventually(async () => (await cached.get('k')) === undefined, {
      timeoutMs: 3000,
    });
  });

  it('with the near cache, another instance sees the clear within the near TTL', async () => {
    const namespace = uniqueNamespace();
    const writer = createKeyv({ client: local.client(), namespace });
    const near = createKeyv({ client: local.client(), namespace, nearCache: { ttlMs: 200 } });
    await writer.set('k', 'v');
    expect(await near.get('k')).toBe('v');
    await writer.clear();
    await eventually(async () => (await near.get('k')) === undefined, {
      timeoutMs: 3000,
    });
  });

  it('a clear in another process is seen here, and its writes are read here', async () => {
    const namespace = uniqueNamespace('proc');
    const here = createKeyv({ client: local.client(), namespace });
    await here.set('k', 'set here');
    expect(await otherProcess(namespace, 'get', 'k')).toEqual({ result: 'set here', errors: [] });
    expect(await otherProcess(namespace, 'clear')).toEqual({ result: null, errors: [] });
    expect(await here.get('k')).toBeUndefined();
    expect(await otherProcess(namespace, 'set', 'k', 'set there')).toEqual({
      result: true,
      errors: [],
    });
    expect(await here.get('k')).toBe('set there');
  }, 60_000); // three Node processes with a TypeScript loader: seconds each on a busy CI machine
});
