import { InvalidArgumentError } from '@momento-http/core';
import { createKeyv } from '@momento-http/keyv';
import {
  CACHE_MANAGER,
  HttpCacheInterceptor,
  MOMENTO_CACHE,
  type MomentoCacheContext,
  MomentoCacheModule,
  MomentoCacheOptionsError,
  type MomentoCacheOptionsFactory,
} from '@momento-http/nestjs';
import { eventually, type LocalServer, startLocalServer } from '@momento-http/test-kit';
import { Controller, Get, Inject, Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { Cache } from 'cache-manager';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PLATFORMS, startApp } from './support/app';
import { uniqueNamespace } from './support/namespace';

let momento: LocalServer;
beforeAll(async () => {
  momento = await startLocalServer({ clientOptions: { retries: 0 } });
});
afterAll(() => momento.server.close());

describe('forRoot', () => {
  it('hands cache-manager one Keyv 5 instance: no double envelope, namespace kept', async () => {
    const namespace = uniqueNamespace();
    const moduleRef = await Test.createTestingModule({
      imports: [MomentoCacheModule.forRoot({ client: momento.client(), namespace })],
    }).compile();
    const cache = moduleRef.get<Cache>(CACHE_MANAGER);
    const context = moduleRef.get<MomentoCacheContext>(MOMENTO_CACHE);
    expect(cache.stores).toHaveLength(1);
    expect(cache.stores[0]).toBe(context.keyv);
    await cache.set('user:1', { name: 'Ada', at: 1 }, 60_000);
    // A plain Keyv on the same namespace reads the very value: one Keyv envelope, our namespace.
    const keyv = createKeyv({ client: momento.client(), namespace });
    expect(await keyv.get('user:1')).toEqual({ name: 'Ada', at: 1 });
    const other = createKeyv({ client: momento.client(), namespace: `${namespace}-other` });
    expect(await other.get('user:1')).toBeUndefined();
    await moduleRef.close();
  });

  it('disconnects the store on shutdown', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [MomentoCacheModule.forRoot({ client: momento.client() })],
    }).compile();
    await moduleRef.init();
    const context = moduleRef.get<MomentoCacheContext>(MOMENTO_CACHE);
    const disconnect = vi.spyOn(context.keyv, 'disconnect');
    await moduleRef.close();
    expect(disconnect).toHaveBeenCalledTimes(1);
    expect(context.closed).toBe(true);
  });

  it('rejects bad options at startup with the option named', async () => {
    const compile = (options: object) =>
      Test.createTestingModule({ imports: [MomentoCacheModule.forRoot(options)] }).compile();
    await expect(compile({ client: momento.client(), ttl: -5 })).rejects.toThrow(
      MomentoCacheOptionsError,
    );
    await expect(compile({ client: momento.client(), ttl: -5 })).rejects.toThrow(/"ttl".*ms/);
    await expect(compile({ client: momento.client(), ttl: '30s' })).rejects.toThrow(/"ttl"/);
    await expect(compile({ client: momento.client(), timeoutMs: 0 })).rejects.toThrow(
      /"timeoutMs"/,
    );
    await expect(compile({ client: momento.client(), namespace: '' })).rejects.toThrow(
      /"namespace"/,
    );
    await expect(
      compile({ client: momento.client(), defaultTtlSeconds: 100, maxTtlSeconds: 10 }),
    ).rejects.toThrow(/"defaultTtlSeconds"/);
  });

  it('refuses unknown options by name, with the fix (cache-manager habits such as "stores")', async () => {
    const compile = (options: object) =>
      Test.createTestingModule({ imports: [MomentoCacheModule.forRoot(options)] }).compile();
    const stores = compile({ client: momento.client(), stores: [] });
    await expect(stores).rejects.toThrow(InvalidArgumentError);
    await expect(compile({ client: momento.client(), stores: [] })).rejects.toThrow(
      /"stores".*"client"/,
    );
    await expect(compile({ client: momento.client(), tll: 1000 })).rejects.toThrow(
      /"tll": not an option.*ttl/,
    );
    await expect(compile({ client: momento.client(), nearCache: { ttl: 5 } })).rejects.toThrow(
      /"nearCache.ttl"/,
    );
    await expect(
      compile({ client: momento.client(), nearCache: { coherence: 'pubsub' } }),
    ).rejects.toThrow(/"nearCache.coherence".*'topics' or 'ttl'/);
  });

  it('resolves client, store and cacheName through core (a bad one is named)', async () => {
    const compile = (options: object) =>
      Test.createTestingModule({ imports: [MomentoCacheModule.forRoot(options)] }).compile();
    await expect(compile({ client: momento.client(), store: momento.store() })).rejects.toThrow(
      /store and client/,
    );
    await expect(compile({ client: momento.client(), cacheName: ' x ' })).rejects.toThrow(
      InvalidArgumentError,
    );
  });

  it('never mutates the caller options', async () => {
    const options = Object.freeze({ client: momento.client(), namespace: uniqueNamespace() });
    const moduleRef = await Test.createTestingModule({
      imports: [MomentoCacheModule.forRoot(options)],
    }).compile();
    expect(Object.keys(options)).toEqual(['client', 'namespace']);
    await moduleRef.close();
  });
});

@Injectable()
class Reader {
  constructor(@Inject(CACHE_MANAGER) readonly cache: Cache) {}
}
@Controller()
class PingController {
  constructor(@Inject(CACHE_MANAGER) private readonly cache: Cache) {}
  @Get('ping')
  async ping() {
    await this.cache.set('ping', 'pong', 10_000);
    return { value: await this.cache.get('ping') };
  }
}
/** A feature module that does not import the cache module: works only when it is global. */
@Module({ providers: [Reader], controllers: [PingController] })
class FeatureModule {}

describe('forRootAsync styles', () => {
  it('takes an options class (useClass)', async () => {
    const namespace = uniqueNamespace();
    @Injectable()
    class CacheConfig implements MomentoCacheOptionsFactory {
      createMomentoCacheOptions() {
        return { client: momento.client(), namespace };
      }
    }
    const moduleRef = await Test.createTestingModule({
      imports: [MomentoCacheModule.forRootAsync({ useClass: CacheConfig })],
    }).compile();
    expect(moduleRef.get<MomentoCacheContext>(MOMENTO_CACHE).options.namespace).toBe(namespace);
    await moduleRef.close();
  });

  it('names the missing createMomentoCacheOptions() of an options class', async () => {
    @Injectable()
    class NotAFactory {
      options() {
        return {};
      }
    }
    const compile = () =>
      Test.createTestingModule({
        imports: [MomentoCacheModule.forRootAsync({ useClass: NotAFactory as never })],
      }).compile();
    await expect(compile()).rejects.toThrow(InvalidArgumentError);
    await expect(compile()).rejects.toThrow(
      /NotAFactory has no createMomentoCacheOptions\(\).*MomentoCacheOptionsFactory/,
    );
  });

  it('honours extraProviders: useFactory can inject them', async () => {
    const NAMESPACE = Symbol('NAMESPACE');
    const namespace = uniqueNamespace();
    const moduleRef = await Test.createTestingModule({
      imports: [
        MomentoCacheModule.forRootAsync({
          extraProviders: [{ provide: NAMESPACE, useValue: namespace }],
          inject: [NAMESPACE],
          useFactory: (ns: string) => ({ client: momento.client(), namespace: ns }),
        }),
      ],
    }).compile();
    expect(moduleRef.get<MomentoCacheContext>(MOMENTO_CACHE).options.namespace).toBe(namespace);
    await moduleRef.close();
  });

  it('refuses unknown options a factory returns, by name (as forRoot does)', async () => {
    const compile = () =>
      Test.createTestingModule({
        imports: [
          MomentoCacheModule.forRootAsync({
            useFactory: () => ({ client: momento.client(), stores: [] }),
          }),
        ],
      }).compile();
    await expect(compile()).rejects.toThrow(InvalidArgumentError);
    await expect(compile()).rejects.toThrow(/"stores".*"client"/);
  });

  it('refuses module options given next to useFactory, naming where they belong', () => {
    expect(() =>
      MomentoCacheModule.forRootAsync({ useFactory: () => ({}), ttl: 5 } as never),
    ).toThrow(/"ttl".*useFactory returns/);
  });

  it('refuses zero or several styles', () => {
    expect(() => MomentoCacheModule.forRootAsync({})).toThrow(/exactly one/);
    expect(() =>
      MomentoCacheModule.forRootAsync({ useFactory: () => ({}), useClass: class {} as never }),
    ).toThrow(/exactly one/);
  });
});

@Controller('global')
class GlobalController {
  calls = 0;
  @Get()
  get() {
    return { n: ++this.calls };
  }
}

describe.each(PLATFORMS)('HttpCacheInterceptor as APP_INTERCEPTOR on %s', (platform) => {
  it('caches every GET route of the app', async () => {
    @Module({
      imports: [
        MomentoCacheModule.forRoot({ client: momento.client(), namespace: uniqueNamespace() }),
      ],
      controllers: [GlobalController],
      providers: [{ provide: APP_INTERCEPTOR, useClass: HttpCacheInterceptor }],
    })
    class GlobalAppModule {}
    const app = await startApp(platform, GlobalAppModule);
    try {
      const first = await request(app.url).get('/global').expect(200);
      expect(first.headers['x-cache']).toBe('MISS');
      await eventually(
        async () => (await request(app.url).get('/global')).headers['x-cache'] === 'HIT',
      );
      expect((await request(app.url).get('/global')).body).toEqual(first.body);
    } finally {
      await app.close();
    }
  });
});

describe.each(PLATFORMS)('forRootAsync with ConfigService on %s', (platform) => {
  it('builds the options from configuration, globally', async () => {
    const namespace = uniqueNamespace();
    @Module({
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: true,
          load: [() => ({ CACHE_NAMESPACE: namespace, CACHE_TTL_MS: '30000' })],
        }),
        MomentoCacheModule.forRootAsync({
          isGlobal: true,
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (config: ConfigService) => ({
            client: momento.client(),
            namespace: config.getOrThrow<string>('CACHE_NAMESPACE'),
            ttl: Number(config.getOrThrow('CACHE_TTL_MS')),
          }),
        }),
        FeatureModule,
      ],
    })
    class AsyncAppModule {}
    const app = await startApp(platform, AsyncAppModule);
    try {
      const res = await request(app.url).get('/ping').expect(200);
      expect(res.body).toEqual({ value: 'pong' });
      const context = app.app.get<MomentoCacheContext>(MOMENTO_CACHE);
      expect(context.options.namespace).toBe(namespace);
      expect(context.options.ttl).toBe(30_000);
      expect(app.app.get(Reader).cache).toBe(app.app.get(CACHE_MANAGER));
    } finally {
      await app.close();
    }
  });
});
