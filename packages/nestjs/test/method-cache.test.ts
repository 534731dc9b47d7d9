/**
 * @Cacheable, @CachePut and @CacheInvalidate on a real Nest app against the real local server:
 * a plain service, a GraphQL-style resolver and a microservice-style handler, the last two
 * invoked the way @nestjs/graphql and @nestjs/microservices invoke theirs (Nest's
 * ExternalContextCreator on the prototype's method, with interceptors and the handler's context
 * type), since neither package is a dependency here.
 */
import { InvalidArgumentError } from '@momento-http/core';
import {
  Cacheable,
  CacheInvalidate,
  CachePut,
  MomentoCacheModule,
  type MomentoCacheModuleOptions,
  MomentoCacheService,
} from '@momento-http/nestjs';
import { eventually, RecordingStore, useLocalServer } from '@momento-http/test-kit';
import {
  Controller,
  type DynamicModule,
  Get,
  type INestApplicationContext,
  Inject,
  Injectable,
  Module,
  Param,
  SetMetadata,
} from '@nestjs/common';
import { ExternalContextCreator } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp as startHttpApp } from './support/app';
import { uniqueNamespace } from './support/namespace';

/** The "database" every instance of one test reads, counting the calls that reach it. */
class Catalog {
  calls = 0;
  prices = new Map<string, number>([['1', 10]]);
  /** While set, reads wait for it (so concurrent calls overlap). */
  gate: Promise<void> | undefined;
  async price(id: string): Promise<number> {
    this.calls++;
    await this.gate;
    const price = this.prices.get(id);
    if (price === undefined) throw new Error(`no product ${id}`);
    return price;
  }
}
const CATALOG = Symbol('CATALOG');

@Injectable()
class ProductService {
  constructor(@Inject(CATALOG) private readonly catalog: Catalog) {}

  @Cacheable({
    key: (id: string) => `product:${id}`,
    ttl: 60_000,
    tags: (id: string) => ['products', `product:${id}`],
  })
  async find(id: string) {
    return { id, price: await this.catalog.price(id), at: new Date(0) };
  }

  @CachePut({
    key: (id: string) => `product:${id}`,
    tags: (id: string) => ['products', `product:${id}`],
  })
  async reprice(id: string, price: number) {
    this.catalog.prices.set(id, price);
    return { id, price, at: new Date(0) };
  }

  @CacheInvalidate({ keys: (id: string) => [`product:${id}`] })
  async remove(id: string) {
    this.catalog.prices.delete(id);
    return true;
  }

  @CacheInvalidate({ tags: ['products'] })
  async repriceAll(factor: number) {
    for (const [id, price] of this.catalog.prices) this.catalog.prices.set(id, price * factor);
  }

  @Cacheable({
    key: () => {
      throw new Error('key function broke');
    },
  })
  async brokenKey() {
    return this.catalog.price('1');
  }
}

/** Shaped like a GraphQL resolver: `(parent, args, context, info)`. */
@Injectable()
class ProductResolver {
  constructor(@Inject(CATALOG) private readonly catalog: Catalog) {}

  @Cacheable({ key: (_parent: unknown, args: { id: string }) => `resolver:product:${args.id}` })
  @SetMetadata('graphql:resolver_type', 'Query')
  async product(_parent: unknown, args: { id: string }) {
    return { id: args.id, price: await this.catalog.price(args.id) };
  }
}

/** Shaped like a microservice handler: `(data, context)`, a synchronous result. */
@Injectable()
class PriceHandler {
  constructor(@Inject(CATALOG) private readonly catalog: Catalog) {}

  @SetMetadata('microservices:pattern', [{ cmd: 'price' }])
  @Cacheable({ key: (data: { id: string }) => `handler:price:${data.id}`, tags: ['products'] })
  price(data: { id: string }) {
    this.catalog.calls++;
    return { id: data.id, price: this.catalog.prices.get(data.id) };
  }
}

/** Route handlers are methods too: the decorator above or below the route decorator. */
@Controller('prices')
class PricesController {
  constructor(@Inject(CATALOG) private readonly catalog: Catalog) {}

  @Cacheable({ key: (id: string) => `route:above:${id}` })
  @Get('above/:id')
  async above(@Param('id') id: string) {
    return { id, price: await this.catalog.price(id) };
  }

  @Get('below/:id')
  @Cacheable({ key: (id: string) => `route:below:${id}` })
  async below(@Param('id') id: string) {
    return { id, price: await this.catalog.price(id) };
  }
}

@Module({})
class MethodAppModule {
  static with(options: MomentoCacheModuleOptions, catalog: Catalog): DynamicModule {
    return {
      module: MethodAppModule,
      imports: [MomentoCacheModule.forRoot(options)],
      providers: [
        ProductService,
        ProductResolver,
        PriceHandler,
        { provide: CATALOG, useValue: catalog },
      ],
      controllers: [PricesController],
    };
  }
}

const local = useLocalServer({ clientOptions: { retries: 0 } });
const apps: INestApplicationContext[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function startApp(options: MomentoCacheModuleOptions, catalog: Catalog) {
  const moduleRef = await Test.createTestingModule({
    imports: [MethodAppModule.with(options, catalog)],
  }).compile();
  // An application context, as a microservice or a worker runs (no HTTP server).
  const app = await moduleRef.init();
  apps.push(app);
  const creator = app.get(ExternalContextCreator);
  const resolver = app.get(ProductResolver);
  const handler = app.get(PriceHandler);
  return {
    service: app.get(ProductService),
    cacheService: app.get(MomentoCacheService),
    // As @nestjs/graphql does: the prototype's method, through Nest's external context.
    resolve: creator.create(
      resolver,
      Object.getPrototypeOf(resolver).product,
      'product',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      'graphql',
    ) as (parent: unknown, args: { id: string }, ctx: unknown, info: unknown) => Promise<unknown>,
    // As @nestjs/microservices does for a message pattern.
    handle: creator.create(
      handler,
      Object.getPrototypeOf(handler).price,
      'price',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      'rpc',
    ) as (data: { id: string }, ctx: unknown) => Promise<unknown>,
  };
}

describe('method decorators on a real app and the local server', () => {
  it('@Cacheable on a resolver and a microservice handler: the second call is served from the cache, in another instance too', async () => {
    const catalog = new Catalog();
    const options = { client: local.client(), namespace: uniqueNamespace() };
    const a = await startApp(options, catalog);
    expect(await a.resolve(undefined, { id: '1' }, {}, {})).toEqual({ id: '1', price: 10 });
    expect(await a.handle({ id: '1' }, {})).toEqual({ id: '1', price: 10 });
    expect(catalog.calls).toBe(2);
    // A second instance (another pod) sharing the cache: both answers come from Momento.
    const b = await startApp(options, catalog);
    await eventually(async () => {
      await b.resolve(undefined, { id: '1' }, {}, {});
      await b.handle({ id: '1' }, {});
      return catalog.calls === 2;
    });
    expect(await b.resolve(undefined, { id: '1' }, {}, {})).toEqual({ id: '1', price: 10 });
    expect(catalog.calls).toBe(2);
  });

  it('@Cacheable on route handlers, above or below @Get: routed, parameters bound, cached', async () => {
    const catalog = new Catalog();
    const http = await startHttpApp(
      'express',
      MethodAppModule.with({ client: local.client(), namespace: uniqueNamespace() }, catalog),
    );
    try {
      for (const path of ['/prices/above/1', '/prices/below/1']) {
        const first = await request(http.url).get(path).expect(200);
        expect(first.body).toEqual({ id: '1', price: 10 });
        await request(http.url).get(path).expect(200);
      }
      expect(catalog.calls).toBe(2);
    } finally {
      await http.close();
    }
  });

  it('keeps the metadata of decorators applied before it (patterns, resolver types)', () => {
    expect(Reflect.getMetadata('microservices:pattern', PriceHandler.prototype.price)).toEqual([
      { cmd: 'price' },
    ]);
    expect(Reflect.getMetadata('graphql:resolver_type', ProductResolver.prototype.product)).toBe(
      'Query',
    );
    expect(ProductService.prototype.find.name).toBe('find');
  });

  it('concurrent calls for one key run the method once (single-flight)', async () => {
    const catalog = new Catalog();
    const { service } = await startApp(
      { client: local.client(), namespace: uniqueNamespace() },
      catalog,
    );
    let open!: () => void;
    catalog.gate = new Promise((resolve) => {
      open = resolve;
    });
    const calls = Array.from({ length: 8 }, () => service.find('1'));
    await eventually(() => catalog.calls > 0);
    open();
    const results = await Promise.all(calls);
    expect(catalog.calls).toBe(1);
    for (const result of results) expect(result).toEqual({ id: '1', price: 10, at: new Date(0) });
    // A different key is a different flight.
    catalog.gate = undefined;
    await expect(service.find('2')).rejects.toThrow('no product 2');
    expect(catalog.calls).toBe(2);
  });

  it('a hung cache: every decorated call finishes within the timeout, with the method result', async () => {
    const catalog = new Catalog();
    const store = new RecordingStore(local.store());
    store.rule({ hang: true });
    const reported: string[] = [];
    const TIMEOUT_MS = 300;
    const { service, resolve, handle } = await startApp(
      {
        store,
        namespace: uniqueNamespace(),
        timeoutMs: TIMEOUT_MS,
        onError: (_error, { operation }) => reported.push(operation),
      },
      catalog,
    );
    const started = performance.now();
    const results = await Promise.all([
      service.find('1'),
      resolve(undefined, { id: '1' }, {}, {}),
      handle({ id: '1' }, {}),
      service.reprice('2', 12),
      service.remove('3'),
      service.repriceAll(1),
    ]);
    const elapsed = performance.now() - started;
    expect(results[0]).toEqual({ id: '1', price: 10, at: new Date(0) });
    expect(results[1]).toEqual({ id: '1', price: 10 });
    expect(results[4]).toBe(true);
    // One deadline per cache operation of a call: well under two timeouts in all.
    expect(elapsed).toBeLessThan(TIMEOUT_MS * 2 + 500);
    expect(store.gets.length).toBeGreaterThan(0);
    await eventually(() => reported.includes('get') && reported.includes('del'));
  });

  it('@CacheInvalidate by key: the next call runs the method again; @CachePut replaces the value', async () => {
    const catalog = new Catalog();
    catalog.prices.set('2', 20);
    const { service } = await startApp(
      { client: local.client(), namespace: uniqueNamespace() },
      catalog,
    );
    await service.find('1');
    await service.find('2');
    await service.find('1');
    expect(catalog.calls).toBe(2);
    await service.reprice('1', 11);
    expect(await service.find('1')).toEqual({ id: '1', price: 11, at: new Date(0) });
    expect(catalog.calls).toBe(2);
    await service.remove('1');
    await expect(service.find('1')).rejects.toThrow('no product 1');
    expect(catalog.calls).toBe(3);
    // Key '2' was not touched.
    await service.find('2');
    expect(catalog.calls).toBe(3);
  });

  it('@CacheInvalidate by tag invalidates in every instance, and so does invalidateTags', async () => {
    const catalog = new Catalog();
    const options = { client: local.client(), namespace: uniqueNamespace(), nearCache: true };
    const a = await startApp(options, catalog);
    const b = await startApp(options, catalog);
    await a.service.find('1');
    await a.handle({ id: '1' }, {});
    await eventually(async () => {
      const before = catalog.calls;
      await b.service.find('1');
      return catalog.calls === before;
    });
    await a.service.repriceAll(3);
    const calls = catalog.calls;
    expect(await b.service.find('1')).toEqual({ id: '1', price: 30, at: new Date(0) });
    expect(await b.handle({ id: '1' }, {})).toEqual({ id: '1', price: 30 });
    expect(catalog.calls).toBe(calls + 2);
    // The service's invalidateTags uses the same tag keys.
    await b.cacheService.invalidateTags(['product:1']);
    await a.service.find('1');
    expect(catalog.calls).toBe(calls + 3);
  });

  it('a key function that throws is reported and the method runs uncached', async () => {
    const catalog = new Catalog();
    const reported: unknown[] = [];
    const { service } = await startApp(
      {
        client: local.client(),
        namespace: uniqueNamespace(),
        onError: (error) => reported.push(error),
      },
      catalog,
    );
    expect(await service.brokenKey()).toBe(10);
    expect(await service.brokenKey()).toBe(10);
    expect(catalog.calls).toBe(2);
    expect(String(reported[0])).toContain('key function broke');
  });

  it('rejects bad options when the class is defined, with a typed error', () => {
    expect(() => Cacheable({ key: '' })).toThrow(InvalidArgumentError);
    expect(() => Cacheable({ key: 'k', ttl: -1 })).toThrow(/ttl/);
    expect(() => CachePut({ key: 'k', tags: ['ok', ''] })).toThrow(InvalidArgumentError);
    expect(() => CacheInvalidate({})).toThrow(/keys.*tags/);
  });
});
