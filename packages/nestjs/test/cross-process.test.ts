import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { eventually, type LocalServer, startLocalServer } from '@momento-http/test-kit';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORMS } from './support/app';
import { uniqueNamespace } from './support/namespace';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const children: ChildProcess[] = [];

/** Starts the fixture app in its own Node process; resolves its URL. */
function startInstance(env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/tagged-app.ts'], {
    cwd: packageDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve(`http://127.0.0.1:${JSON.parse(line).port}`);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk;
    });
    child.once('exit', (code) => reject(new Error(`instance exited with ${code}: ${err}`)));
  });
}

let momento: LocalServer;
beforeAll(async () => {
  momento = await startLocalServer({ clientOptions: { retries: 0 } });
});
afterAll(async () => {
  for (const child of children) child.kill('SIGTERM');
  await momento.server.close();
});

describe.each(PLATFORMS)('two app processes on %s', (platform) => {
  it('share entries, and a POST in one invalidates the tag in the other', async () => {
    const env = {
      MOMENTO_ENDPOINT: momento.server.url,
      MOMENTO_API_KEY: momento.server.createApiKey(),
      NAMESPACE: uniqueNamespace(),
      NEST_PLATFORM: platform,
    };
    const [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
    const fromA = await request(a).get('/items').expect(200);
    // A's write is fire-and-forget: once A hits, its entry is in Momento.
    await eventually(async () => (await request(a).get('/items')).headers['x-cache'] === 'HIT');
    // B answers with A's body (A's pid) from Momento.
    await eventually(async () => (await request(b).get('/items')).headers['x-cache'] === 'HIT');
    expect((await request(b).get('/items')).body).toEqual(fromA.body);

    await request(b).post('/items').expect(201);
    const after = await request(a).get('/items').expect(200);
    expect(after.headers['x-cache']).toBe('MISS');
    expect(after.body.n).toBe(fromA.body.n + 1);
  }, 60_000);
});
