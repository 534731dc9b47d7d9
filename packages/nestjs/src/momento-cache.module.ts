import { CacheModule, type CacheModuleOptions } from '@nestjs/cache-manager';
import {
  type DynamicModule,
  type FactoryProvider,
  type InjectionToken,
  Module,
  type ModuleMetadata,
  type OptionalFactoryDependency,
  type Provider,
  type Type,
  type ValueProvider,
} from '@nestjs/common';
import { MomentoCacheService } from './cache.service';
import { CacheEvictInterceptor } from './cache-evict.interceptor';
import { MomentoCacheContext } from './context';
import { HttpCacheInterceptor } from './http-cache.interceptor';
import { type MomentoCacheModuleOptions, normalizeOptions } from './options';
import { MOMENTO_CACHE, MOMENTO_CACHE_OPTIONS } from './tokens';

/** A class that builds the options (for `forRootAsync({ useClass | useExisting })`). */
export interface MomentoCacheOptionsFactory {
  createMomentoCacheOptions(): MomentoCacheModuleOptions | Promise<MomentoCacheModuleOptions>;
}

/** Options of {@link MomentoCacheModule.forRootAsync}: one of `useFactory`, `useClass`, `useExisting`. */
export interface MomentoCacheModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  /** Returns the module options (for example from `ConfigService`). */
  // biome-ignore lint/suspicious/noExplicitAny: the injected values' types are the caller's (as in Nest's own FactoryProvider)
  useFactory?: (...args: any[]) => MomentoCacheModuleOptions | Promise<MomentoCacheModuleOptions>;
  /** Providers passed to `useFactory`. @default [] */
  inject?: (InjectionToken | OptionalFactoryDependency)[];
  /** A {@link MomentoCacheOptionsFactory} class, instantiated inside the module. */
  useClass?: Type<MomentoCacheOptionsFactory>;
  /** An existing {@link MomentoCacheOptionsFactory} provider (from `imports`). */
  useExisting?: InjectionToken<MomentoCacheOptionsFactory>;
  /** Register the module globally (the factory's `isGlobal` cannot, as it runs later). @default false */
  isGlobal?: boolean;
}

const fromFactory = (factory: MomentoCacheOptionsFactory) => factory.createMomentoCacheOptions();

/** The providers that yield the options, for each `forRootAsync` style. */
function asyncOptionsProviders(options: MomentoCacheModuleAsyncOptions): Provider[] {
  const styles = [options?.useFactory, options?.useClass, options?.useExisting].filter(Boolean);
  if (styles.length !== 1) {
    throw new TypeError(
      'MomentoCacheModule.forRootAsync: give exactly one of "useFactory", "useClass", "useExisting"',
    );
  }
  if (options.useFactory) {
    if (typeof options.useFactory !== 'function') {
      throw new TypeError('MomentoCacheModule.forRootAsync: "useFactory" must be a function');
    }
    return [
      {
        provide: MOMENTO_CACHE_OPTIONS,
        useFactory: options.useFactory,
        inject: options.inject ?? [],
      },
    ];
  }
  if (options.useClass) {
    return [
      options.useClass,
      { provide: MOMENTO_CACHE_OPTIONS, useFactory: fromFactory, inject: [options.useClass] },
    ];
  }
  return [
    { provide: MOMENTO_CACHE_OPTIONS, useFactory: fromFactory, inject: [options.useExisting!] },
  ];
}

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
      imports: [core, cache],
      providers: [MomentoCacheService, HttpCacheInterceptor, CacheEvictInterceptor],
      exports: [core, cache, MomentoCacheService, HttpCacheInterceptor, CacheEvictInterceptor],
    };
  }
}
