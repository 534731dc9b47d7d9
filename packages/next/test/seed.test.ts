import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore, InvalidArgumentError } from '@momento-http/core';
import { RecordingStore } from '@momento-http/test-kit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BuildOutputError } from '../src/build-output';
import { createIsrHandler } from '../src/isr';
import { seedCache } from '../src/seed';
import { connectionRefused, pageCtx } from './support';

const BUILD_ID = 'build-7';
const PAGE_KEY = '/route-cache/APP_PAGE/abc/$/isr/a';
const ROUTE_KEY = '/route-cache/APP_ROUTE/def/$/bytes';
const FETCH_KEY = 'f'.repeat(64);
const HOUR = 3600;
const rsc = Buffer.from([0, 1, 2, 255, 10]);
const tree = Buffer.from([9, 8, 7]);
const body = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const headers = { 'x-next-cache-tags': '_N_T_/layout,_N_T_/isr/a,isr' };

/** A `.next` as `next build` leaves it (Next 16.4's file names), built at `builtAt`. */
function writeBuild(dir: string, builtAt: Date): void {
  const dist = join(dir, '.next');
  const app = join(dist, 'server', 'app');
  mkdirSync(join(app, 'isr', 'a.segments'), { recursive: true });
  mkdirSync(join(dist, 'cache', 'fetch-cache'), { recursive: true });
  const routes = {
    '/isr/a': { dataRoute: '/isr/a.rsc', initialRevalidateSeconds: 60, initialExpireSeconds: HOUR },
    '/bytes': { dataRoute: null, initialRevalidateSeconds: false },
    '/gone': { dataRoute: '/gone.rsc', initialRevalidateSeconds: 60, initialExpireSeconds: 60 },
    '/broken': { dataRoute: '/broken.rsc', initialRevalidateSeconds: 60 },
  };
  writeFileSync(join(dist, 'BUILD_ID'), BUILD_ID);
  writeFileSync(join(dist, 'prerender-manifest.json'), JSON.stringify({ routes }));
  const meta = (key: string, extra = {}) =>
    JSON.stringify({ status: 200, headers, routeCache: { key }, ...extra });
  writeFileSync(join(app, 'isr', 'a.html'), '<html>a</html>');
  writeFileSync(join(app, 'isr', 'a.rsc'), rsc);
  writeFileSync(join(app, 'isr', 'a.segments', '_tree.segment.rsc'), tree);
  writeFileSync(join(app, 'isr', 'a.meta'), meta(PAGE_KEY, { segmentPaths: ['/_tree'] }));
  writeFileSync(join(app, 'bytes.body'), body);
  writeFileSync(join(app, 'bytes.meta'), meta(ROUTE_KEY));
  writeFileSync(join(app, 'gone.html'), '<html>gone</html>');
  writeFileSync(join(app, 'gone.rsc'), rsc);
  writeFileSync(join(app, 'gone.meta'), meta('/gone'));
  // `/broken` has a manifest entry and no files: that one entry fails, the others are seeded.
  const fetched = { kind: 'FETCH', data: { headers: {}, body: 'djE=', status: 200 }, tags: ['t'] };
  writeFileSync(join(dist, 'cache', 'fetch-cache', FETCH_KEY), JSON.stringify(fetched));
  for (const file of ['isr/a.html', 'bytes.body', 'gone.html']) {
    utimesSync(join(app, file), builtAt, builtAt);
  }
  const goneAt = new Date(Date.now() - 120_000); // past its 60 s expire
  utimesSync(join(app, 'gone.html'), goneAt, goneAt);
  utimesSync(join(dist, 'cache', 'fetch-cache', FETCH_KEY), builtAt, builtAt);
}

describe('seedCache', () => {
  let dir: string;
  // Whole seconds: utimes takes seconds as a float, and a millisecond part can come back as
  // .999 of the one below (stat's mtimeMs), which Next, like the seed, truncates.
  const builtAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 10_000);
  const handlerOver = (store: RecordingStore) =>
    createIsrHandler({ store, keyPrefix: undefined, onError: () => {} });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'next-seed-'));
    writeBuild(dir, builtAt);
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    vi.restoreAllMocks();
  });

  const seed = (handler: unknown, extra = {}) =>
    seedCache({ dir, distDir: '.next', handler: handler as never, ...extra });

  it('stores each entry byte for byte as the handler stores the same value from Next', async () => {
    const seeded = new RecordingStore(createMemoryStore());
    const report = await seed(handlerOver(seeded));
    expect(report).toMatchObject({ buildId: BUILD_ID, total: 5, written: 3, kept: 0, expired: 1 });
    expect(report.failed.map((f) => f.name)).toEqual(['/broken']);

    // What Next's file-system cache hands a request for these files, set at build time.
    const rendered = new RecordingStore(createMemoryStore());
    const Handler = handlerOver(rendered);
    const handler = new Handler({ serverDistDir: join(dir, '.next', 'server') });
    vi.spyOn(Date, 'now').mockReturnValue(builtAt.getTime());
    const page = {
      kind: 'APP_PAGE',
      html: '<html>a</html>',
      rscData: rsc,
      postponed: undefined,
      headers,
      status: 200,
      segmentData: new Map([['/_tree', tree]]),
    };
    await handler.set(PAGE_KEY, page, {
      kind: 'APP_PAGE',
      cacheControl: { revalidate: 60, expire: HOUR },
    });
    const route = { kind: 'APP_ROUTE', body, headers, status: 200 };
    await handler.set(ROUTE_KEY, route, {
      kind: 'APP_ROUTE',
      cacheControl: { revalidate: false, expire: undefined },
    });
    vi.restoreAllMocks();
    for (const set of rendered.sets) {
      const twin = seeded.sets.find((s) => s.key === set.key);
      expect(twin, set.key).toBeDefined();
      expect(Buffer.from(twin!.value).equals(Buffer.from(set.value))).toBe(true);
    }
    // The page lives `expire` from its build, not from the seed.
    const pageSet = seeded.sets.find((s) => s.key.includes('APP_PAGE'))!;
    expect(pageSet.ttlSeconds).toBeLessThanOrEqual(HOUR - 9);
    expect(seeded.sets.map((s) => s.key)).toContain(`next|fetch|${FETCH_KEY}`);
  });

  it('is read by the handler as the build made it: a HIT with its date, lifetime and segments', async () => {
    const store = new RecordingStore(createMemoryStore());
    const Handler = handlerOver(store);
    await seed(Handler);
    const handler = new Handler({ serverDistDir: join(dir, '.next', 'server') });
    const hit = await handler.get(PAGE_KEY, pageCtx);
    expect(hit?.lastModified).toBe(builtAt.getTime());
    expect(hit?.cacheControl).toEqual({ revalidate: 60, expire: HOUR });
    const value = hit?.value as unknown as { segmentData: Map<string, Buffer>; rscData: Buffer };
    expect(value.segmentData.get('/_tree')).toEqual(tree);
    expect(value.rscData).toEqual(rsc);
  });

  it('keeps what is as new or newer in the cache: an earlier seed, a render since the build', async () => {
    const store = new RecordingStore(createMemoryStore());
    const Handler = handlerOver(store);
    await seed(Handler);
    const handler = new Handler({ serverDistDir: join(dir, '.next', 'server') });
    const rendered = { kind: 'APP_PAGE', html: '<html>rendered</html>', rscData: rsc, headers };
    await handler.set(PAGE_KEY, rendered, { kind: 'APP_PAGE' });
    const writes = store.sets.length;
    const again = await seed(Handler);
    expect(again).toMatchObject({ written: 0, kept: 3 });
    expect(store.sets.length).toBe(writes);
    expect((await handler.get(PAGE_KEY, pageCtx))?.value).toMatchObject({ html: rendered.html });
  });

  it('writes without reading with writeOnly, and reads and writes nothing with dryRun', async () => {
    const store = new RecordingStore(createMemoryStore());
    const Handler = handlerOver(store);
    const dry = await seed(Handler, { dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, written: 0, total: 5 });
    expect(dry.entries.filter((e) => e.outcome === 'dry run').map((e) => e.name)).toEqual([
      '/isr/a',
      '/bytes',
      '/gone',
      `fetch-cache/${FETCH_KEY}`,
    ]);
    expect([store.gets.length, store.sets.length]).toEqual([0, 0]);
    const blind = await seed(Handler, { writeOnly: true });
    expect(blind.written).toBe(3);
    expect(store.gets).toEqual([]);
  });

  it('never rejects for the cache: the first outage skips the rest and is reported', async () => {
    const store = new RecordingStore(createMemoryStore());
    store.rule({ fail: connectionRefused });
    const report = await seed(handlerOver(store), { concurrency: 1 });
    expect(report.written).toBe(0);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]?.message).toMatch(/could not be reached|connection refused/);
    expect(report.notTried).toBe(4);
  });

  it('rejects a handler that is not this package’s, and a folder with no build', async () => {
    await expect(seed(class {})).rejects.toThrow(InvalidArgumentError);
    rmSync(join(dir, '.next', 'BUILD_ID'));
    const Handler = handlerOver(new RecordingStore(createMemoryStore()));
    await expect(seed(Handler)).rejects.toThrow(BuildOutputError);
  });
});
