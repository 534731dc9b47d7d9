/**
 * One benchmark contender, run as a child process by test/bench/nestjs.bench.ts (with tsx, so
 * the workspace packages are read from source). BENCH_MODE picks the cache behind a cached GET
 * route; the app prints `{"port":…}` once it listens.
 *
 *   memory        CacheModule.register() (cache-manager's in-memory Keyv) + CacheInterceptor
 *   redis         CacheModule.register({ stores: [createKeyv(REDIS_URL)] }) + CacheInterceptor
 *   momento       MomentoCacheModule (MOMENTO_ENDPOINT / MOMENTO_API_KEY) + CacheInterceptor
 *   momento-near  the same with nearCache: true
 *   momento-http  MomentoCacheModule + HttpCacheInterceptor
 *   momento-http-near  the same with nearCache: true
 */
import 'reflect-metadata';
import { createKeyv } from '@keyv/redis';
import { CacheInterceptor, CacheModule } from '@nestjs/cache-manager';
import {
  Controller,
  type DynamicModule,
  Get,
  Module,
  type NestInterceptor,
  type Type,
  UseInterceptors,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HttpCacheInterceptor, MomentoCacheModule } from '../src/index';

const mode = process.env.BENCH_MODE ?? 'memory';

// A ~1 KB JSON document, like a typical API read.
const payload = {
  items: Array.from({ length: 12 }, (_, i) => ({
    id: i,
    name: `product ${i}`,
    price: i * 1.25,
    tags: ['a', 'b'],
  })),
};

function controllerWith(interceptor: Type<NestInterceptor>): Type<unknown> {
  @Controller()
  @UseInterceptors(interceptor)
  class BenchController {
    @Get('cached')
    cached() {
      return payload;
    }
  }
  return BenchController;
}

function cacheModule(): DynamicModule {
  const ttl = 600_000;
  switch (mode) {
    case 'memory':
      return CacheModule.register({ ttl });
    case 'redis':
      return CacheModule.register({ ttl, stores: [createKeyv(process.env.REDIS_URL!)] });
    case 'momento':
    case 'momento-http':
      return MomentoCacheModule.forRoot({ ttl, namespace: `bench-${mode}` });
    case 'momento-near':
    case 'momento-http-near':
      return MomentoCacheModule.forRoot({ ttl, namespace: `bench-${mode}`, nearCache: true });
    default:
      throw new Error(`unknown BENCH_MODE ${mode}`);
  }
}

@Module({})
class BenchModule {
  static create(): DynamicModule {
    const interceptor = mode.startsWith('momento-http') ? HttpCacheInterceptor : CacheInterceptor;
    return {
      module: BenchModule,
      imports: [cacheModule()],
      controllers: [controllerWith(interceptor)],
    };
  }
}

const app = await NestFactory.create(BenchModule.create(), { logger: false });
app.enableShutdownHooks();
await app.listen(0, '127.0.0.1');
const address = app.getHttpServer().address() as { port: number };
process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
