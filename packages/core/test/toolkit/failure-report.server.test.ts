/** The default failure report, fed by real failures from the real local server. */
import { createServer } from 'node:net';
import { useLocalServer } from '@momento-http/test-kit';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/client';
import { createFailureReporter } from '../../src/toolkit/failure-report';

const local = useLocalServer({ clientOptions: { retries: 0 } });

/** The first (only) report `call`'s failure produced. */
async function reportOf(call: () => Promise<unknown>): Promise<string> {
  const error = await call().then(
    () => expect.unreachable('the call should fail'),
    (e: unknown) => e,
  );
  const printed: string[] = [];
  createFailureReporter({ adapter: 'express', warn: (m) => printed.push(m) })(error, 'read');
  expect(printed).toHaveLength(1);
  return printed[0]!;
}

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const host = () => new URL(local.url).host;

describe('failure report, real failures', { timeout: 20_000 }, () => {
  it('a cache that does not exist: names it and says how to fix it', async () => {
    const report = await reportOf(() => local.client().cache('no-such-cache').get('k'));
    expect(report).toContain('[@momento-http/express] cache read failed: ');
    expect(report).toContain('(CacheNotFoundError.');
    expect(report).toContain(
      "cache 'no-such-cache' does not exist: create it in the Momento console, or set MOMENTO_CACHE_NAME",
    );
    expect(report.split('\n').at(-1)).toBe(
      '  Route these with onError, or pass onError: () => {} to silence them.',
    );
  });

  it('a wrong key: the server refused it, named by host, the key never printed', async () => {
    const wrongKey = `${local.apiKey.slice(0, -6)}AAAAAA`;
    const report = await reportOf(() =>
      local.client({ apiKey: wrongKey }).cache('default-cache').get('k'),
    );
    expect(report).toContain(`the cache server at ${host()} refused the API key`);
    expect(report).toContain('MOMENTO_API_KEY');
    expect(report).not.toContain(wrongKey.slice(-20));
    expect(report).not.toContain(local.apiKey.slice(-20));
  });

  it('a key without the right: says which right is missing on which cache', async () => {
    const readOnly = local.server.createApiKey({ role: 'readonly', cache: 'default-cache' });
    const report = await reportOf(() =>
      local.client({ apiKey: readOnly }).cache('default-cache').set('k', 'v'),
    );
    expect(report).toContain('(PermissionError.');
    expect(report).toContain(
      "the API key lacks the right to this operation on cache 'default-cache'",
    );
  });

  it('a server that is down: names the endpoint host it could not reach', async () => {
    const port = await closedPort();
    const client = createClient({
      baseUrl: `http://127.0.0.1:${port}`,
      apiKey: local.apiKey,
      env: {},
      retries: 0,
    });
    const report = await reportOf(() => client.cache('down-cache').get('k'));
    expect(report).toContain('(ConnectionError.');
    expect(report).toContain(`the cache server at 127.0.0.1:${port} could not be reached`);
    expect(report).toContain('MOMENTO_ENDPOINT');
  });
});
