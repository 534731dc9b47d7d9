/**
 * One tag bus: an Express response, a Nest response, a Nest method result and a Keyv entry, each
 * tagged `product:1` and each written by its own app instance on one cache, all become misses
 * after ONE purge, whichever way it is made: the `momento-http purge` CLI (a child process), the
 * webhook handler over real HTTP, Express's `purge`, Nest's `invalidateTags`, Keyv's
 * `invalidateTags`. Every round uses its own tag namespace, given to every package.
 */
import { spawn } from 'node:child_process';
import { createServer, type RequestListener, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createPurgeHandler } from '@momento-http/core/node';
import { responseCache } from '@momento-http/express';
import { KeyvMomento } from '@momento-http/keyv';
import {
  Cacheable,
  CacheTags,
  HttpCacheInterceptor,
  MomentoCacheModule,
  MomentoCacheService,
} from '@momento-http/nestjs';
import { eventually, useLocalServer } from '@momento-http/test-kit';
import { Controller, Get, Injectable, Module, UseInterceptors } from '@nestjs/common';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningApp, startApp } from './support/app';
import { uniqueNamespace } from './support/namespace';

const local = useLocalServer({ clientOptions: { retries: 0 } });
const TAG = 'product:1';
const SECRET = 'tag-bus-shared-secret-0123456789';
/** What this test uses of an Express app (Express is the Express adapter's test dependency). */
interface ExpressResponse {
  set(name: string, value: string): ExpressResponse;
  json(body: unknown): void;
}
interface ExpressApp extends RequestListener {
  use(middleware: unknown): void;
  get(path: string, handler: (req: unknown, res: ExpressResponse) => void): void;
}
const express = createRequire(
  fileURLToPath(new URL('../../express/package.json', import.meta.url)),
)('express') as () => ExpressApp;
const repo = fileURLToPath(new URL('../../..', import.meta.url));
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closers) await close();
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The Express app: one tagged response, rendered afresh on each miss. */
async function expressApp(tagNamespace: string) {
  let renders = 0;
  const cache = responseCache({
    client: local.client(),
    tagNamespace,
    keyPrefix: `${tagNamespace}|`,
  });
  const app = express();
  app.use(cache);
  app.get('/product', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=600').set('Cache-Tag', TAG);
    res.json({ renders: ++renders });
  });
  return { url: await listen(app), cache };
}

/** The Nest app: a tagged response and a tagged method result. */
async function nestApp(tagNamespace: string) {
  const counts = { responses: 0, methods: 0 };
  @Injectable()
  class Products {
    @Cacheable({ key: () => 'product', ttl: 60_000, tags: [TAG] })
    async find() {
      return { calls: ++counts.methods };
    }
  }
  @Controller()
  class ProductController {
    constructor(private readonly products: Products) {}
    @Get('product')
    @UseInterceptors(HttpCacheInterceptor)
    @CacheTags(TAG)
    product() {
      return { renders: ++counts.responses };
    }
    @Get('method')
    method() {
      return this.products.find();
    }
  }
  @Module({
    imports: [
      MomentoCacheModule.forRoot({
        client: local.client(),
        namespace: tagNamespace,
        tagNamespace,
        timeoutMs: 5000,
      }),
    ],
    controllers: [ProductController],
    providers: [Products],
  })
  class AppModule {}
  const running: RunningApp = await startApp('express', AppModule);
  closers.push(running.close);
  return { url: running.url, counts, service: running.app.get(MomentoCacheService) };
}

function runCli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const cli = fileURLToPath(new URL('../../core/src/cli.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
    cwd: repo,
    env: { PATH: process.env.PATH, MOMENTO_API_KEY: local.apiKey, MOMENTO_ENDPOINT: local.url },
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

type Apps = Awaited<ReturnType<typeof everyApp>>;

/** Every package's entry tagged product:1, each written by its own instance, and read as hits. */
async function everyApp() {
  const tagNamespace = uniqueNamespace().replace(/[^a-z0-9]/gi, '');
  const web = await expressApp(tagNamespace);
  const nest = await nestApp(tagNamespace);
  const keyv = new KeyvMomento({ client: local.client(), namespace: tagNamespace, tagNamespace });
  await keyv.setWithTags('product', '"lamp"', { tags: [TAG] });
  await request(web.url).get('/product');
  await eventually(
    async () => (await request(web.url).get('/product')).headers['x-cache'] === 'HIT',
    {
      what: 'the Express response cached',
    },
  );
  await request(nest.url).get('/product');
  await eventually(
    async () => (await request(nest.url).get('/product')).headers['x-cache'] === 'HIT',
    {
      what: 'the Nest response cached',
    },
  );
  await request(nest.url).get('/method');
  expect((await request(nest.url).get('/method')).body).toEqual({ calls: 1 });
  expect(await keyv.get('product')).toBe('"lamp"');
  return { tagNamespace, web, nest, keyv };
}

/** After the purge: every entry misses (each is rendered, computed or absent anew). */
async function expectAllMiss(apps: Apps) {
  const web = await request(apps.web.url).get('/product');
  expect(web.headers['x-cache']).toBe('MISS');
  const nest = await request(apps.nest.url).get('/product');
  expect(nest.headers['x-cache']).toBe('MISS');
  expect((await request(apps.nest.url).get('/method')).body).toEqual({ calls: 2 });
  // A fresh instance, as another process would be: nothing of the purge is known locally.
  const other = new KeyvMomento({
    client: local.client(),
    namespace: apps.tagNamespace,
    tagNamespace: apps.tagNamespace,
  });
  expect(await other.get('product')).toBeUndefined();
  expect(await apps.keyv.get('product')).toBeUndefined();
}

describe('one purge reaches every package', { timeout: 60_000 }, () => {
  it('by the CLI, run as a child process', async () => {
    const apps = await everyApp();
    const run = await runCli(['purge', '--tag', TAG, '--tag-namespace', apps.tagNamespace]);
    expect(run.code, run.stderr).toBe(0);
    await expectAllMiss(apps);
  });

  it('by the webhook handler, over real HTTP', async () => {
    const apps = await everyApp();
    const url = await listen(
      createPurgeHandler({
        secret: SECRET,
        client: local.client(),
        tagNamespace: apps.tagNamespace,
      }),
    );
    const refused = await fetch(url, {
      method: 'POST',
      headers: { authorization: 'Bearer not-the-secret-at-all' },
      body: JSON.stringify({ tags: [TAG] }),
    });
    expect(refused.status).toBe(401);
    // Nothing purged by the refused call.
    expect((await request(apps.web.url).get('/product')).headers['x-cache']).toBe('HIT');
    expect(await apps.keyv.get('product')).toBe('"lamp"');
    const purged = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tags: [TAG] }),
    });
    expect(purged.status).toBe(200);
    await expectAllMiss(apps);
  });

  it("by Express's purge", async () => {
    const apps = await everyApp();
    await apps.web.cache.purge({ tags: [TAG] });
    await expectAllMiss(apps);
  });

  it("by Nest's invalidateTags", async () => {
    const apps = await everyApp();
    expect(await apps.nest.service.invalidateTags([TAG])).toBe(true);
    await expectAllMiss(apps);
  });

  it("by Keyv's invalidateTags", async () => {
    const apps = await everyApp();
    expect(await apps.keyv.invalidateTags([TAG])).toBe(true);
    await expectAllMiss(apps);
  });
});
