import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { eventually } from '@momento-http/test-kit';
import { afterAll, describe, expect, it } from 'vitest';
import { fileBackend, uniquePrefix } from './support';

const { backend } = await fileBackend();
const children: ChildProcess[] = [];
// Registered after fileBackend's hook, so it runs first: the instances stop before the server.
afterAll(() => {
  for (const child of children) child.kill();
});

const fixture = fileURLToPath(new URL('./fixtures/instance.ts', import.meta.url));
const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Starts one app instance in its own process; resolves with its base URL. */
async function instance(name: string, version: number, prefix: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    cwd: root,
    env: {
      ...process.env,
      CACHE_URL: backend.server.url,
      CACHE_API_KEY: backend.server.createApiKey(),
      KEY_PREFIX: prefix,
      NAME: name,
      VERSION: String(version),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`;
}

/** A request with a Host header (fetch does not allow setting one). */
function call(base: string, method = 'GET', body?: string) {
  const url = new URL(`${base}/p`);
  const path = body ? '/__purge' : '/p';
  return new Promise<{ text: string; cache: string | undefined }>((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path,
        method,
        headers: { host: 'shop.example', 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => resolve({ text, cache: res.headers['x-cache'] as string | undefined }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
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
