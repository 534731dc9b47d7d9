import { type RunningServer, startServer } from '@momento-http/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NextInstance, startNext } from './processes';
import { buildReadmeApp, type ReadmeApp, readmeApps } from './readme-apps';
import { eventually, get, renderOf } from './requests';

/**
 * Each next.config the README shows, copied verbatim into a small app (classic ISR pages, or the
 * same pages under 'use cache'), builds with its Next versions without an error or a warning, and
 * serves pages through the handlers: a page rendered once is then a HIT read from the cache
 * server (`cacheMaxMemorySize: 0` leaves Next no copy of its own).
 */
describe.each(Object.entries(readmeApps))('README config %s', (_label, app: ReadmeApp) => {
  let server: RunningServer;
  let next: NextInstance | undefined;
  let dir: string;
  let log: string;

  beforeAll(async () => {
    ({ dir, log } = await buildReadmeApp(app));
    server = await startServer({ port: 0 });
  });

  afterAll(async () => {
    await next?.stop();
    await server?.close();
  });

  it(`"${app.heading}" builds with no error and no warning`, () => {
    expect(log).toMatch(/Generating static pages/);
    // Next's own warnings; the handler's one report of the unreachable cache is expected.
    expect(log).not.toMatch(/⚠|not compatible|invalid next\.config/i);
    expect(log).not.toMatch(/^\s+at /m);
  });

  it('serves a page it rendered to a new process, from the cache server', async () => {
    const env = {
      MOMENTO_ENDPOINT: server.url,
      MOMENTO_API_KEY: server.createApiKey({ superUser: true }),
    };
    next = await startNext(dir, env, app.versionApp);
    expect((await get(next.url, '/isr/a')).status).toBe(200);
    const hit = await eventually(
      () => get(next!.url, '/isr/a'),
      (p) => p.cache === 'HIT',
    );
    await next.stop();
    // A new process holds nothing: its HIT came from the cache server.
    next = await startNext(dir, env, app.versionApp);
    const again = await get(next.url, '/isr/a');
    expect(again.cache).toBe('HIT');
    expect(renderOf(again.body)).toBe(renderOf(hit.body));
  });
});
