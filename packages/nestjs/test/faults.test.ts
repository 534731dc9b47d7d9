/**
 * HttpCacheInterceptor and @CacheEvict behind the test kit's fault proxy, in front of the real
 * local server: damaged answers on every kind of read are reported misses, never a wrong response
 * or a 500.
 */
import { randomBytes } from 'node:crypto';
import { ChunkingError, EnvelopeError, TagStateError } from '@momento-http/core';
import {
  HttpCacheInterceptor,
  MomentoCacheModule,
  type MomentoCacheModuleOptions,
} from '@momento-http/nestjs';
import { eventually, useFaultProxy, useLocalServer } from '@momento-http/test-kit';
import { Controller, type DynamicModule, Get, Module, UseInterceptors } from '@nestjs/common';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, startApp } from './support/app';
import { DB, Db, HttpController } from './support/controllers';
import { uniqueNamespace } from './support/namespace';

/** Incompressible and over Momento's 5 MB item limit even gzipped: stored as chunks. */
const BIG = randomBytes(6_000_000).toString('base64');

@Controller('big')
@UseInterceptors(HttpCacheInterceptor)
class BigController {
  renders = 0;
  @Get()
  big() {
    this.renders++;
    return BIG;
  }
}

@Module({})
class FaultAppModule {
  static with(options: MomentoCacheModuleOptions): DynamicModule {
    return {
      module: FaultAppModule,
      imports: [MomentoCacheModule.forRoot(options)],
      controllers: [HttpController, BigController],
      providers: [{ provide: DB, useValue: new Db() }],
    };
  }
}

const local = useLocalServer({ clientOptions: { retries: 0 } });
const proxy = useFaultProxy(local);

interface Reported {
  operation: string;
  error: unknown;
}

describe('one deadline per operation, against a cache answering at 90 % of it', () => {
  const TIMEOUT_MS = 3000;
  const SLOW_MS = 2700;
  let app: RunningApp;
  const reported: Reported[] = [];
  beforeAll(async () => {
    app = await startApp(
      'express',
      FaultAppModule.with({
        client: local.client({ baseUrl: proxy.url }),
        namespace: uniqueNamespace(),
        timeoutMs: TIMEOUT_MS,
        onError: (error, { operation }) => reported.push({ operation, error }),
      }),
    );
  });
  afterAll(() => app.close());
  afterEach(() => proxy.clear());

  it('a tagged entry is a HIT: entry and tag state are read together, not one after the other', async () => {
    await request(app.url).get('/http/items');
    await eventually(
      async () => (await request(app.url).get('/http/items')).headers['x-cache'] === 'HIT',
    );
    proxy.add({ path: '/cache', delayMs: SLOW_MS });
    const reads = proxy.count({ method: 'GET' });
    const started = performance.now();
    const res = await request(app.url).get('/http/items').expect(200);
    const elapsed = performance.now() - started;
    expect(res.headers['x-cache']).toBe('HIT');
    // Served from the cache (entry and tag state), not from this process's write in flight.
    expect(proxy.count({ method: 'GET' }) - reads).toBe(2);
    // One after the other the two reads take 2 × SLOW_MS; together, one. The bound sits between.
    expect(elapsed).toBeLessThan(SLOW_MS * 1.5);
  });

  it('@CacheEvict({ tags }) answers within the timeout: the tag read and write share it', async () => {
    const post = async (name: string) => {
      const started = performance.now();
      await request(app.url).post('/http/items').send({ name }).expect(201);
      return performance.now() - started;
    };
    // What the same request costs with a fast cache (Nest, HTTP, a loaded machine) is not the
    // cache's time: the slow eviction may take the deadline on top of that, plus 100 ms.
    const baseline = await post('fast');
    proxy.add({ path: '/cache', delayMs: SLOW_MS });
    const elapsed = await post('slow');
    // A deadline each would let the read and the write take 2 × SLOW_MS; sharing one, TIMEOUT_MS.
    // The bound sits between, so a loaded machine's late timer is not a failure.
    expect(elapsed - baseline).toBeLessThan(TIMEOUT_MS + SLOW_MS / 2);
    expect(reported.some((r) => r.operation === 'invalidateTags')).toBe(true);
  });
});

describe('damaged answers', () => {
  let app: RunningApp;
  let namespace: string;
  const reported: Reported[] = [];
  beforeAll(async () => {
    namespace = uniqueNamespace();
    app = await startApp(
      'express',
      FaultAppModule.with({
        client: local.client({ baseUrl: proxy.url }),
        namespace,
        timeoutMs: 10_000, // these tests are about bytes, not time (the machine may be loaded)
        onError: (error, { operation }) => reported.push({ operation, error }),
      }),
    );
  });
  afterAll(() => app.close());
  afterEach(() => {
    proxy.clear();
    reported.length = 0;
  });

  const isHit = (path: string) => async () =>
    (await request(app.url).get(path)).headers['x-cache'] === 'HIT';
  /** The entry's key as it travels to the cache. */
  const entryKey = (path: string) => new RegExp(`^${namespace}:http:${path}$`);

  /** The entry at `path` is stored; one read through `fault` must be a reported miss. */
  async function missOnce(path: string, key: RegExp, fault: Parameters<typeof proxy.add>[0]) {
    // Every miss while the first write is still encoding renders and writes again: poll slowly
    // for the 8 MB entry, or the polls themselves starve a loaded machine.
    const big = path === '/big';
    await eventually(isHit(path), {
      intervalMs: big ? 1000 : 10,
      timeoutMs: big ? 60_000 : 10_000,
    });
    const rule = proxy.add({ method: 'GET', key, count: 1, ...fault });
    // Requests answered by this process's own write still in flight never reach the cache; the
    // first one that does meets the fault.
    const res = await eventually(
      async () => {
        const answer = await request(app.url).get(path);
        return rule.hits === 1 && answer;
      },
      { intervalMs: 50, timeoutMs: 60_000, what: 'a read reaching the cache' },
    );
    expect(res.headers['x-cache']).toBe('MISS');
    return res;
  }

  it('a garbage entry is a miss reported as a decode error; the entry is still stored', async () => {
    const path = '/http/decorated';
    const first = await request(app.url).get(path).expect(202);
    const res = await missOnce(path, entryKey(path), { fault: { kind: 'garbage' } });
    expect(res.status).toBe(202);
    expect(res.text).toMatch(/^text \d+$/);
    const decode = reported.find((r) => r.operation === 'decode');
    expect(decode?.error).toBeInstanceOf(EnvelopeError);
    // Nothing was deleted or replaced by the bad read: the store still serves a good entry.
    expect(await local.store().get(`${namespace}:http:${path}`)).toBeInstanceOf(Uint8Array);
    await eventually(isHit(path));
    expect((await request(app.url).get(path)).text).toMatch(/^text \d+$/);
    expect(first.status).toBe(202);
  });

  it('a truncated entry (short, well-formed answer) is a miss: the checksum catches it', async () => {
    const path = '/http/decorated?truncated=matching';
    await request(app.url).get(path);
    await missOnce(path, /truncated=matching$/, {
      fault: { kind: 'truncate', contentLength: 'matching' },
    });
    const decode = reported.find((r) => r.operation === 'decode');
    expect((decode?.error as EnvelopeError | undefined)?.code).toBe('INTEGRITY');
  });

  it('a cut-off entry (connection closed mid-body) is a miss reported as a failed get', async () => {
    const path = '/http/decorated?truncated=original';
    await request(app.url).get(path);
    await missOnce(path, /truncated=original$/, {
      fault: { kind: 'truncate', contentLength: 'original' },
    });
    expect(reported.map((r) => r.operation)).toContain('get');
  });

  it('a garbage tag record makes the tagged entry a reported miss, and is not overwritten', async () => {
    const path = '/http/items';
    await request(app.url).get(path);
    proxy.forget();
    await missOnce(path, /^__tag__\|items$/, { fault: { kind: 'garbage' } });
    expect(reported.find((r) => r.operation === 'tags')?.error).toBeInstanceOf(TagStateError);
    // A read never writes a tag record: the invalidation state is left as it was (none).
    expect(proxy.count({ method: 'PUT', key: /^__tag__\|/ })).toBe(0);
    await eventually(isHit(path));
  });

  it('a garbage chunk manifest is a reported miss', async () => {
    const first = await request(app.url).get('/big').expect(200);
    expect(first.text).toBe(BIG);
    const res = await missOnce('/big', entryKey('/big'), { fault: { kind: 'garbage' } });
    expect(res.text).toBe(BIG);
    expect(reported.find((r) => r.operation === 'decode')?.error).toBeInstanceOf(EnvelopeError);
  });

  it('a truncated chunk manifest is a reported miss', async () => {
    const res = await missOnce('/big', entryKey('/big'), {
      fault: { kind: 'truncate', contentLength: 'matching' },
    });
    expect(res.text).toBe(BIG);
    const error = reported.find((r) => r.error instanceof ChunkingError)?.error as ChunkingError;
    expect(error?.code).toBe('BAD_MANIFEST');
  });

  it('a garbage or truncated chunk is a reported miss', async () => {
    const chunk = new RegExp(`^${namespace}:http:/big#`);
    for (const fault of [
      { kind: 'garbage' } as const,
      { kind: 'truncate', contentLength: 'matching' } as const,
    ]) {
      const res = await missOnce('/big', chunk, { fault });
      expect(res.text).toBe(BIG);
      const error = reported.find((r) => r.error instanceof ChunkingError)?.error as ChunkingError;
      expect(error?.code).toBe('INTEGRITY');
      reported.length = 0;
    }
  });
});

// A long near-cache life, so a slow machine cannot expire a near entry between two requests.
describe.each([
  { label: 'off', nearCache: false as const },
  { label: 'on', nearCache: { ttlMs: 60_000 } },
])('read-your-writes in one process, near cache $label', ({ nearCache }) => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(
      'express',
      FaultAppModule.with({
        client: local.client({ baseUrl: proxy.url }),
        namespace: uniqueNamespace(),
        timeoutMs: 3000,
        nearCache,
      }),
    );
  });
  afterAll(() => app.close());
  afterEach(() => proxy.clear());

  it('a response whose write is still in flight is already a HIT here', async () => {
    proxy.add({ method: 'PUT', path: '/cache', delayMs: 2000 });
    const miss = await request(app.url).get('/http/me?ryw=1').expect(200);
    expect(miss.headers['x-cache']).toBe('MISS');
    const reads = proxy.count({ method: 'GET', key: /ryw=1$/ });
    const hit = await request(app.url).get('/http/me?ryw=1').expect(200);
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(proxy.count({ method: 'GET', key: /ryw=1$/ })).toBe(reads); // answered in process
    expect(hit.body).toEqual(miss.body);
  });

  it('an eviction is seen here at once, even when the tag write never lands', async () => {
    await request(app.url).get('/http/items');
    await eventually(
      async () => (await request(app.url).get('/http/items')).headers['x-cache'] === 'HIT',
    );
    proxy.add({ method: 'PUT', key: /^__tag__\|items$/, delayMs: 20_000 });
    await request(app.url).post('/http/items').send({ name: 'late' }).expect(201);
    const after = await request(app.url).get('/http/items').expect(200);
    expect(after.headers['x-cache']).toBe('MISS');
    expect(after.body.items).toContain('late');
  });

  it.runIf(nearCache !== false)('a near-cache hit makes no cache request', async () => {
    await request(app.url).get('/http/decorated');
    await eventually(
      async () => (await request(app.url).get('/http/decorated')).headers['x-cache'] === 'HIT',
    );
    proxy.forget();
    const hit = await request(app.url).get('/http/decorated').expect(202);
    expect(hit.headers['x-cache']).toBe('HIT');
    // Cache requests only: the near cache's coherence subscription polls a topic meanwhile.
    expect(proxy.count({ path: '/cache' })).toBe(0);
  });
});
