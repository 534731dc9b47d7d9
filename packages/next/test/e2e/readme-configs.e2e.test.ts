import { type RunningServer, startServer } from '@momento-http/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NextInstance, startNext } from './processes';
import { buildReadmeApp, type ReadmeApp, readmeApps } from './readme-apps';
import { builtSegment, get, prerenderedRoutes, runSeed, segmentPrefetch } from './seeding';

/**
 * Each next.config the README shows, copied verbatim into a small app (classic ISR pages, or the
 * same pages under 'use cache'), builds with its Next versions without an error or a warning, and
 * serves pages through the handlers: after the seed, a new process answers the first request of
 * every prerendered page with a HIT read from the cache server (`cacheMaxMemorySize: 0` leaves
 * Next no copy of its own), and a Next 16 segment prefetch with the build's bytes.
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
    // Next warns about a missing build cache whenever CI is set (a fresh clone has none): that is
    // the machine's, not the config's.
    const configLog = log
      .split('\n')
      .filter((line) => !line.includes('No build cache found'))
      .join('\n');
    expect(configLog).not.toMatch(/⚠|not compatible|invalid next\.config/i);
    expect(log).not.toMatch(/^\s+at /m);
  });

  it('after `momento-http-next seed`, the first request of every prerendered page is a HIT', async () => {
    const env = {
      MOMENTO_ENDPOINT: server.url,
      MOMENTO_API_KEY: server.createApiKey({ superUser: true }),
    };
    const routes = prerenderedRoutes(dir);
    expect(routes).toEqual(expect.arrayContaining(['/', '/bytes', '/isr/a', '/isr/b', '/isr/c']));
    const seeded = await runSeed(dir, env);
    expect(seeded.code, seeded.stdout + seeded.stderr).toBe(0);
    expect(seeded.stdout).toMatch(/0 failed/);
    next = await startNext(dir, env, app.versionApp);
    for (const route of routes) {
      const page = await get(next.url, route);
      expect([route, page.status, page.cache]).toEqual([route, 200, 'HIT']);
    }
    if (app.segmentPrefetch) {
      const prefetch = await segmentPrefetch(next.url, '/isr/b', '/_tree');
      expect(prefetch.cache).toBe('HIT');
      expect(prefetch.bytes.equals(builtSegment(dir, '/isr/b', '/_tree'))).toBe(true);
    }
  });
});
