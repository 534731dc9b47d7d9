/**
 * HttpCacheInterceptor as a shared cache should behave (issue 18 part 3), on both platforms
 * against the real local server: concurrent misses of one response run the handler once;
 * stale-while-revalidate and stale-if-error on the stored Cache-Control; a near-cache hit is
 * answered synchronously (no promise, so no timer and no decode).
 */
import {
  CacheTTL,
  HttpCacheInterceptor,
  MomentoCacheModule,
  type MomentoCacheModuleOptions,
  MomentoCacheService,
} from '@momento-http/nestjs';
import { eventually, useLocalServer } from '@momento-http/test-kit';
import {
  type CallHandler,
  Controller,
  type DynamicModule,
  type ExecutionContext,
  Get,
  Header,
  Injectable,
  Module,
  ServiceUnavailableException,
  UseInterceptors,
} from '@nestjs/common';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORMS, type Platform, type RunningApp, startApp } from './support/app';
import { uniqueNamespace } from './support/namespace';

/** Records whether each interception answered synchronously (an Observable, not a promise). */
@Injectable()
class ProbedInterceptor extends HttpCacheInterceptor {
  static answers: ('sync' | 'async')[] = [];
  override intercept(context: ExecutionContext, next: CallHandler) {
    const answer = super.intercept(context, next);
    ProbedInterceptor.answers.push(answer instanceof Promise ? 'async' : 'sync');
    return answer;
  }
}

/** What the handlers do, shared by the test and the app. */
class Origin {
  renders = 0;
  failing = false;
  gate: Promise<void> | undefined;
}
const origin = new Origin();

@Controller('fresh')
@UseInterceptors(ProbedInterceptor)
class FreshnessController {
  @Get('slow')
  async slow() {
    const n = ++origin.renders;
    await origin.gate;
    return { n };
  }

  @Get('swr')
  @CacheTTL(1000)
  @Header('Cache-Control', 'max-age=1, stale-while-revalidate=60')
  swr() {
    return { n: ++origin.renders };
  }

  @Get('sie')
  @CacheTTL(1000)
  @Header('Cache-Control', 'max-age=1, stale-if-error=60')
  sie() {
    if (origin.failing) throw new ServiceUnavailableException('database down');
    return { n: ++origin.renders };
  }

  @Get('strict')
  @CacheTTL(1000)
  @Header('Cache-Control', 'max-age=1, stale-if-error=60, must-revalidate')
  strict() {
    if (origin.failing) throw new ServiceUnavailableException('database down');
    return { n: ++origin.renders };
  }

  @Get('near')
  near() {
    return { near: true };
  }
}

@Module({})
class FreshnessModule {
  static with(options: MomentoCacheModuleOptions): DynamicModule {
    return {
      module: FreshnessModule,
      imports: [MomentoCacheModule.forRoot(options)],
      controllers: [FreshnessController],
      providers: [ProbedInterceptor],
    };
  }
}

const local = useLocalServer({ clientOptions: { retries: 0 } });

describe.each(PLATFORMS)('HttpCacheInterceptor freshness on %s', (platform: Platform) => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(
      platform,
      FreshnessModule.with({
        client: local.client(),
        namespace: uniqueNamespace(),
        nearCache: true,
      }),
    );
  });
  afterAll(() => app.close());
  const get = (path: string) => request(app.url).get(path);

  it('concurrent misses of one response run the handler once; the others replay its answer', async () => {
    const stats = app.app.get(MomentoCacheService);
    const missesBefore = stats.stats().misses;
    const rendersBefore = origin.renders;
    let open!: () => void;
    origin.gate = new Promise((resolve) => {
      open = resolve;
    });
    const responses = Array.from({ length: 5 }, () => get('/fresh/slow').then((r) => r));
    // Every request has looked up the cache (a miss each) and joined the first one's flight.
    await eventually(() => stats.stats().misses - missesBefore >= 5, { what: 'five misses' });
    open();
    const answers = await Promise.all(responses);
    origin.gate = undefined;
    expect(origin.renders - rendersBefore).toBe(1);
    const bodies = new Set(answers.map((r) => r.text));
    expect(bodies.size).toBe(1);
    const collapsed = answers.filter((r) => /collapsed/.test(String(r.headers['cache-status'])));
    expect(collapsed).toHaveLength(4);
    for (const r of answers) expect(r.status).toBe(200);
  });

  it('stale-while-revalidate: a stale entry is served at once and refreshed in the background', async () => {
    const first = await get('/fresh/swr').expect(200);
    await eventually(async () => (await get('/fresh/swr')).headers['x-cache'] === 'HIT');
    const rendered = origin.renders;
    // Past max-age: STALE with the stored body, never a MISS.
    let stale: request.Response | undefined;
    await eventually(
      async () => {
        const r = await get('/fresh/swr');
        expect(r.headers['x-cache']).not.toBe('MISS');
        if (r.headers['x-cache'] === 'STALE') stale = r;
        return stale !== undefined;
      },
      { timeoutMs: 5000, what: 'a STALE answer' },
    );
    expect(stale?.text).toBe(first.text);
    expect(String(stale?.headers['cache-status'])).toMatch(/hit; ttl=-/);
    // The refresh ran the handler once and stored its value: the next answers are fresh hits.
    await eventually(async () => {
      const r = await get('/fresh/swr');
      return r.headers['x-cache'] === 'HIT' && r.text !== first.text;
    });
    expect(origin.renders).toBe(rendered + 1);
  });

  it('stale-if-error: a failing handler is answered with the stale entry; must-revalidate forbids it', async () => {
    origin.failing = false;
    const first = await get('/fresh/sie').expect(200);
    await get('/fresh/strict').expect(200);
    await eventually(async () => (await get('/fresh/sie')).headers['x-cache'] === 'HIT');
    origin.failing = true;
    try {
      let stale: request.Response | undefined;
      await eventually(
        async () => {
          const r = await get('/fresh/sie');
          if (r.headers['x-cache'] === 'STALE') stale = r;
          return stale !== undefined;
        },
        { timeoutMs: 5000, what: 'a stale-if-error answer' },
      );
      expect(stale?.status).toBe(200);
      expect(stale?.text).toBe(first.text);
      expect(String(stale?.headers['cache-status'])).toContain('fwd-status=503');
      expect(String(stale?.headers['cache-status'])).toContain('stale-if-error');
      // One member of this cache, not the MISS it started as plus the STALE.
      expect(String(stale?.headers['cache-status']).split(',')).toHaveLength(1);
      await eventually(async () => (await get('/fresh/strict')).status === 503, {
        timeoutMs: 5000,
        what: 'must-revalidate refusing stale',
      });
    } finally {
      origin.failing = false;
    }
  });

  it('a near-cache hit is answered synchronously: no promise, hence no timer and no decode', async () => {
    await get('/fresh/near').expect(200);
    await eventually(async () => (await get('/fresh/near')).headers['x-cache'] === 'HIT');
    const nearHitsBefore = app.app.get(MomentoCacheService).stats().nearHits;
    ProbedInterceptor.answers = [];
    const hit = await get('/fresh/near').expect(200);
    expect(hit.body).toEqual({ near: true });
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(ProbedInterceptor.answers).toEqual(['sync']);
    expect(app.app.get(MomentoCacheService).stats().nearHits).toBe(nearHitsBefore + 1);
  });
});
