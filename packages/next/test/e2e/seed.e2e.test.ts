import { readFileSync } from 'node:fs';
import { type RunningServer, startServer } from '@momento-http/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NextInstance, startNext } from './processes';
import { buildReadmeApp, readmeApps } from './readme-apps';
import { eventually, renderOf } from './requests';
import { builtSegment, get, prerenderedRoutes, runSeed, segmentPrefetch } from './seeding';

const app = readmeApps.classic164;
const signingSecret = 'next-seed-e2e-signing-secret-0123456789';
/** The render id the build wrote into a page's HTML. */
const builtRender = (dir: string, route: string) =>
  renderOf(readFileSync(`${dir}/.next/server/app${route}.html`, 'utf8'));

/**
 * `momento-http-next seed` on real builds of the README's classic-ISR config (Next 16.4) and a
 * second build of it (a new build id), with two `next start` instances over one local server.
 */
describe('momento-http-next seed', () => {
  let server: RunningServer;
  let port: number;
  let dir: string;
  let newBuildDir: string;
  let env: NodeJS.ProcessEnv;
  const instances: NextInstance[] = [];
  const start = async (appDir: string) => {
    const instance = await startNext(appDir, env, app.versionApp);
    instances.push(instance);
    return instance;
  };
  let a: NextInstance;
  let b: NextInstance;

  beforeAll(async () => {
    ({ dir } = await buildReadmeApp(app));
    ({ dir: newBuildDir } = await buildReadmeApp(app, '-new-build'));
    server = await startServer({ port: 0, signingSecret });
    port = server.port;
    env = { MOMENTO_ENDPOINT: server.url, MOMENTO_API_KEY: server.createApiKey() };
    const seeded = await runSeed(dir, env);
    expect(seeded.code, seeded.stderr).toBe(0);
    [a, b] = await Promise.all([start(dir), start(dir)]);
  });

  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    await server?.close();
  });

  it('makes the first request of every prerendered page a HIT on either instance', async () => {
    const routes = prerenderedRoutes(dir);
    expect(routes.length).toBeGreaterThanOrEqual(5);
    for (const [i, route] of routes.entries()) {
      const page = await get((i % 2 ? a : b).url, route);
      expect([route, page.status, page.cache]).toEqual([route, 200, 'HIT']);
    }
    expect(renderOf((await get(a.url, '/isr/c')).body)).toBe(builtRender(dir, '/isr/c'));
    const prefetch = await segmentPrefetch(b.url, '/isr/a', '/_tree');
    expect(prefetch.cache).toBe('HIT');
    expect(prefetch.bytes.equals(builtSegment(dir, '/isr/a', '/_tree'))).toBe(true);
  });

  it('seeding the same build again keeps an entry revalidated at runtime', async () => {
    const built = builtRender(dir, '/isr/a');
    await fetch(`${a.url}/api/revalidate?path=/isr/a`, { method: 'POST' });
    const regenerated = await eventually(
      () => get(b.url, '/isr/a'),
      (p) => p.cache === 'HIT' && renderOf(p.body) !== built,
    );
    const again = await runSeed(dir, env);
    expect(again.code, again.stderr).toBe(0);
    const total = prerenderedRoutes(dir).length + 3; // Next's own /_not-found, /_global-error, /index
    expect(again.stdout).toMatch(/: 0 written, \d+ kept/);
    expect(Number(/(\d+) kept/.exec(again.stdout)?.[1])).toBeGreaterThanOrEqual(total - 3);
    for (const instance of [a, b]) {
      expect(renderOf((await get(instance.url, '/isr/a')).body)).toBe(renderOf(regenerated.body));
    }
  });

  it("seeding a new build leaves the old build's entries alone", async () => {
    const before = renderOf((await get(a.url, '/isr/a')).body);
    const seeded = await runSeed(newBuildDir, env);
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(seeded.stdout).toMatch(/: [1-9]\d* written, 0 kept/);
    const onOld = await get(a.url, '/isr/a');
    expect([onOld.cache, renderOf(onOld.body)]).toEqual(['HIT', before]);
    const c = await start(newBuildDir);
    const onNew = await get(c.url, '/isr/b');
    expect(onNew.cache).toBe('HIT');
    expect(renderOf(onNew.body)).toBe(builtRender(newBuildDir, '/isr/b'));
    // Tags are app-wide: /isr/a was revalidated after this build was made, so its seeded copy
    // is expired as any entry older than the revalidation is.
    const revalidated = await get(c.url, '/isr/a');
    expect(revalidated.cache).not.toBe('HIT');
    expect(renderOf(revalidated.body)).not.toBe(builtRender(newBuildDir, '/isr/a'));
  });

  /** The same server emptied (same port and secret: the keys stay valid). */
  const restartEmpty = async () => {
    await server.close();
    server = await startServer({ port, signingSecret });
  };

  it('reports a key without the write right clearly, and exits 1 with --strict', async () => {
    await restartEmpty();
    const readOnly = { ...env, MOMENTO_API_KEY: server.createApiKey({ role: 'readonly' }) };
    const run = await runSeed(dir, readOnly);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /0 written, 0 kept \(as new or newer in the cache\), \d failed, \d+ not tried/,
    );
    expect(run.stdout).toMatch(/lacks the right .*does not allow writes/);
    expect(run.stdout).toMatch(/use a readwrite key/);
    expect((await runSeed(dir, readOnly, '--strict')).code).toBe(1);
  });

  it('says a write-only key needs --write-only, and seeds with it', async () => {
    const writeOnly = { ...env, MOMENTO_API_KEY: server.createApiKey({ role: 'writeonly' }) };
    const refused = await runSeed(dir, writeOnly);
    expect(refused.code).toBe(0);
    expect(refused.stdout).toMatch(/does not allow reads/);
    expect(refused.stdout).toMatch(/with a write-only key pass --write-only/);
    const run = await runSeed(dir, writeOnly, '--write-only');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/: [1-9]\d* written, 0 kept .*, 0 failed/);
    const fresh = await start(dir);
    const page = await get(fresh.url, '/isr/b');
    expect([page.cache, renderOf(page.body)]).toEqual(['HIT', builtRender(dir, '/isr/b')]);
  });

  it('with the cache server down: exits 0 and reports, exits 1 with --strict; --dry-run lists', async () => {
    await server.close();
    const run = await runSeed(dir, env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/0 written, 0 kept .*, \d failed, \d+ not tried/);
    expect(run.stdout).toMatch(/could not be reached/);
    expect((await runSeed(dir, env, '--strict')).code).toBe(1);
    const dry = await runSeed(dir, env, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^would write APP_PAGE {2}\/isr\/a$/m);
    expect(dry.stdout).toMatch(/nothing read or written \(--dry-run\)/);
    server = await startServer({ port, signingSecret });
  });

  it('revalidateTags in a route handler: 200 once recorded, 503 with the cause when the cache is down', async () => {
    const c = await start(dir);
    await get(c.url, '/isr/b');
    const cached = await eventually(
      () => get(b.url, '/isr/b'),
      (p) => p.cache === 'HIT',
    );
    const tag = encodeURIComponent('_N_T_/isr/b');
    const ok = await fetch(`${c.url}/api/revalidate?tag=${tag}&strict=1`, { method: 'POST' });
    expect([ok.status, await ok.json()]).toEqual([200, { revalidated: true, tag: '_N_T_/isr/b' }]);
    // Recorded before the answer: the other instance regenerates the page on its next request.
    const onB = await get(b.url, '/isr/b');
    expect(renderOf(onB.body)).not.toBe(renderOf(cached.body));
    await server.close();
    const lost = await fetch(`${c.url}/api/revalidate?tag=${tag}&strict=1`, { method: 'POST' });
    expect(lost.status).toBe(503);
    expect((await lost.json()).error).toMatch(/ConnectionError|could not be reached|fetch failed/);
    server = await startServer({ port, signingSecret });
  });

  it('seeds from instrumentation.ts at start-up (seedCache), in the background', async () => {
    const seeding = await startNext(dir, { ...env, SEED_AT_START: '1' }, app.versionApp);
    instances.push(seeding);
    await eventually(
      async () => seeding.output(),
      (out) => /seeded \d+ of \d+ cache entries/.test(out),
    );
    expect(seeding.output()).toMatch(/seeded [1-9]\d* of \d+ cache entries/);
    const page = await get(seeding.url, '/isr/c');
    expect([page.cache, renderOf(page.body)]).toEqual(['HIT', builtRender(dir, '/isr/c')]);
  });
});
