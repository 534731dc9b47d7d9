/** The purge webhook handler and the purge CLI against the real local server. */
import { useLocalServer } from '@momento-http/test-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { createPurgeHandler, TagStore, tagKeyPrefix } from '../../src/node';
import { postPartially, runPurgeCli, serve } from './purge-process';

const local = useLocalServer();
const SECRET = 'a-shared-secret-of-some-length';

describe('purge outside any app', { timeout: 30_000 }, () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });
  const stateOf = async (tag: string, namespace?: string) =>
    (await new TagStore(local.store(), { prefix: tagKeyPrefix(namespace) }).read([tag])).get(tag);
  const start = async (options: Partial<Parameters<typeof createPurgeHandler>[0]> = {}) => {
    const server = await serve(
      createPurgeHandler({ secret: SECRET, store: local.store(), onError: () => {}, ...options }),
    );
    closers.push(server.close);
    return server.url;
  };
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${SECRET}`,
        'content-type': 'application/json',
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('a POST with the secret records the tags in the namespace given', async () => {
    const url = await start({ tagNamespace: 'shop' });
    const res = await post(url, { tags: ['product:1', 'product:2'] });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ purged: ['product:1', 'product:2'] });
    expect(await stateOf('product:1', 'shop')).toBeDefined();
    expect(await stateOf('product:1')).toBeUndefined();
  });

  it('a wrong or missing secret is 401 and purges nothing', async () => {
    const url = await start();
    const wrong = await post(
      url,
      { tags: ['wrong:1'] },
      { authorization: 'Bearer not-the-secret' },
    );
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer');
    const none = await fetch(url, { method: 'POST', body: '{"tags":["wrong:1"]}' });
    expect(none.status).toBe(401);
    expect(await stateOf('wrong:1')).toBeUndefined();
  });

  it('a named header carries the secret as is', async () => {
    const url = await start({ header: 'X-Purge-Secret' });
    expect((await post(url, { tags: ['h:1'] })).status).toBe(401);
    expect((await post(url, { tags: ['h:1'] }, { 'x-purge-secret': SECRET })).status).toBe(200);
  });

  it('answers 405 to other methods and 400 to bad bodies, saying why', async () => {
    const url = await start();
    const get = await fetch(url);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    for (const body of ['not json', { tags: [] }, { tags: [1] }, { tag: 'x' }]) {
      const res = await post(url, body);
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatch(/tags|JSON/);
    }
  });

  it('refuses an oversize body with 413 without reading it all', async () => {
    const url = await start({ maxBodyBytes: 1024 });
    // Declares 10 MB and sends 100 bytes: an answer proves the rest was never waited for.
    expect(await postPartially(url, { authorization: `Bearer ${SECRET}` }, 10_000_000, 100)).toBe(
      413,
    );
    // Without a Content-Length (chunked), the read stops at the limit.
    expect(await postPartially(url, { authorization: `Bearer ${SECRET}` }, 'chunked', 2048)).toBe(
      413,
    );
  });

  it('answers 503 when the cache cannot record the purge', async () => {
    const errors: unknown[] = [];
    const { createClient } = await import('../../src/node');
    const down = createClient({ baseUrl: 'http://127.0.0.1:9', apiKey: local.apiKey, env: {} });
    const url = await start({
      store: down.cache('default-cache'),
      timeoutMs: 2000,
      onError: (e) => errors.push(e),
    });
    const res = await post(url, { tags: ['down:1'] });
    expect(res.status).toBe(503);
    expect(errors).toHaveLength(1);
  });

  it('the fetch-style handler gives the same answers', async () => {
    const handler = createPurgeHandler({ secret: SECRET, store: local.store() });
    const request = (auth: string) =>
      new Request('http://localhost/purge', {
        method: 'POST',
        headers: { authorization: auth },
        body: JSON.stringify({ tags: ['fetch:1'] }),
      });
    expect((await handler.fetch(request('Bearer nope-nope-nope-nope'))).status).toBe(401);
    expect(await stateOf('fetch:1')).toBeUndefined();
    expect((await handler.fetch(request(`Bearer ${SECRET}`))).status).toBe(200);
    expect(await stateOf('fetch:1')).toBeDefined();
  });

  it('rejects a short secret at creation', () => {
    expect(() => createPurgeHandler({ secret: 'short', store: local.store() })).toThrow(/secret/);
  });

  it('the CLI purges from the environment and never prints the key', async () => {
    const env = { MOMENTO_API_KEY: local.apiKey, MOMENTO_ENDPOINT: local.url };
    const done = await runPurgeCli(
      ['purge', '--tag', 'cli:1', '--tag=cli:2', '--tag-namespace', 'shop'],
      env,
    );
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain('purged 2 tag(s)');
    expect(await stateOf('cli:2', 'shop')).toBeDefined();
    expect(done.stdout + done.stderr).not.toContain(local.apiKey);
  });

  it('the CLI exits 1 with the reason when the cache is down or the command is wrong', async () => {
    const down = await runPurgeCli(['purge', '--tag', 'x', '--timeout-ms', '2000'], {
      MOMENTO_API_KEY: local.apiKey,
      MOMENTO_ENDPOINT: 'http://127.0.0.1:9',
    });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/not purged/);
    expect(down.stdout + down.stderr).not.toContain(local.apiKey);
    const noKey = await runPurgeCli(['purge', '--tag', 'x'], {});
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/MOMENTO_API_KEY/);
    const noTag = await runPurgeCli(['purge'], {});
    expect(noTag.code).toBe(1);
    expect(noTag.stderr).toMatch(/--tag/);
    const url = await runPurgeCli(['purge', '--url', '/x'], {});
    expect(url.stderr).toMatch(/--url is not supported/);
  });
});

describe('purge handler behind a body parser', () => {
  it('uses the body the parser already read', async () => {
    const { createPurgeHandler: create } = await import('../../src/node');
    const handler = create({ secret: SECRET, store: local.store() });
    const server = await serve((req, res) => {
      // What express.json() leaves behind: the stream consumed, the result on req.body.
      req.resume();
      req.on('end', () => {
        (req as { body?: unknown }).body = { tags: ['parsed:1'] };
        void handler(req, res);
      });
    });
    try {
      const res = await fetch(server.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${SECRET}` },
        body: 'ignored',
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ purged: ['parsed:1'] });
    } finally {
      await server.close();
    }
  });
});
