import { CacheModule, type CacheModuleOptions } from '@nestjs/cache-manager';
import {
  type DynamicModule,
  type FactoryProvider,
  Module,
  type ModuleMetadata,
  type Provider,
  type ValueProvider,
} from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { asyncOptionsProviders, type MomentoCacheModuleAsyncOptions } from './async-options';
import { MomentoCacheService } from './cache.service';
import { CacheEvictInterceptor } from './cache-evict.interceptor';
import { MomentoCacheContext } from './context';
import { HttpCacheInterceptor } from './http-cache.interceptor';
import { MethodCacheBinding } from './method-cache-binding';
import { normalizeOptions } from './normalize-options';
import type { MomentoCacheModuleOptions } from './options';
import { MOMENTO_CACHE, MOMENTO_CACHE_OPTIONS } from './tokens';

/** Holds the options and the shared context, so `CacheModule` and this module see one instance. */
@Module({})
class MomentoCacheCoreModule {}

const contextProvider: FactoryProvider<MomentoCacheContext> = {
  provide: MOMENTO_CACHE,
  // Validation happens here, at startup: a bad option stops the app with a named reason.
  useFactory: (options: MomentoCacheModuleOptions) =>
    new MomentoCacheContext(normalizeOptions(options)),
  inject: [MOMENTO_CACHE_OPTIONS],
};

const cacheManagerOptions = (context: MomentoCacheContext): CacheModuleOptions => ({
  stores: [context.keyv],
  ttl: context.options.ttl,
  refreshThreshold: context.options.refreshThreshold,
  nonBlocking: context.options.nonBlocking,
});

/**
 * `@nestjs/cache-manager`'s `CacheModule` backed by Momento, plus whole-response caching and
 * invalidation by tag. `CACHE_MANAGER`, `CacheInterceptor`, `@CacheKey` and `@CacheTTL` work
 * unchanged; TTLs are in milliseconds, like everywhere in cache-manager 7.
 *
 * @example
 * @Module({ imports: [MomentoCacheModule.forRoot({ ttl: 30_000, isGlobal: true })] })
 * export class AppModule {}
 */
@Module({})
// biome-ignore lint/complexity/noStaticOnlyClass: a Nest dynamic module is static factories on its class
export class MomentoCacheModule {
  /** Configures the module from a static options object. */
  static forRoot(options: MomentoCacheModuleOptions = {}): DynamicModule {
    const provider: ValueProvider = { provide: MOMENTO_CACHE_OPTIONS, useValue: options };
    return MomentoCacheModule.build([provider], [], options.isGlobal === true);
  }

  /** Configures the module from a factory (e.g. with `ConfigService`) or an options class. */
  static forRootAsync(options: MomentoCacheModuleAsyncOptions): DynamicModule {
    return MomentoCacheModule.build(
      asyncOptionsProviders(options),
      options.imports ?? [],
      options.isGlobal === true,
    );
  }

  private static build(
    optionsProviders: Provider[],
    imports: NonNullable<ModuleMetadata['imports']>,
    isGlobal: boolean,
  ): DynamicModule {
    const core: DynamicModule = {
      module: MomentoCacheCoreModule,
      imports,
      providers: [...optionsProviders, contextProvider],
      exports: [MOMENTO_CACHE],
    };
    // The same `core` object is imported twice, so Nest builds one context for both.
    const cache = CacheModule.registerAsync({
      imports: [core],
      inject: [MOMENTO_CACHE],
      useFactory: cacheManagerOptions,
    });
    return {
      module: MomentoCacheModule,
      global: isGlobal,
      // DiscoveryModule: the method decorators' binding finds the app's decorated instances.
      imports: [core, cache, DiscoveryModule],
      providers: [
        MomentoCacheService,
        HttpCacheInterceptor,
        CacheEvictInterceptor,
        MethodCacheBinding,
      ],
      exports: [core, cache, MomentoCacheService, HttpCacheInterceptor, CacheEvictInterceptor],
    };
  }
}
