import type {
  InjectionToken,
  ModuleMetadata,
  OptionalFactoryDependency,
  Provider,
  Type,
} from '@nestjs/common';
import { MomentoCacheOptionsError } from './normalize-options';
import type { MomentoCacheModuleOptions } from './options';
import { MOMENTO_CACHE_OPTIONS } from './tokens';

/** A class that builds the options (for `forRootAsync({ useClass | useExisting })`). */
export interface MomentoCacheOptionsFactory {
  createMomentoCacheOptions(): MomentoCacheModuleOptions | Promise<MomentoCacheModuleOptions>;
}

/** Options of `MomentoCacheModule.forRootAsync`: one of `useFactory`, `useClass`, `useExisting`. */
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
  /**
   * Providers made available to `useFactory` (through `inject`) and to a `useClass` factory,
   * without a module of their own (as in `CacheModule.registerAsync`).
   */
  extraProviders?: Provider[];
  /** Register the module globally (the factory's `isGlobal` cannot, as it runs later). @default false */
  isGlobal?: boolean;
}

const ASYNC_KEYS = new Set([
  'imports',
  'useFactory',
  'inject',
  'useClass',
  'useExisting',
  'extraProviders',
  'isGlobal',
]);

/** Calls the options class, with a message that says what to add when the method is missing. */
function fromFactory(style: 'useClass' | 'useExisting') {
  return (factory: Partial<MomentoCacheOptionsFactory> | undefined) => {
    if (typeof factory?.createMomentoCacheOptions !== 'function') {
      const name = factory?.constructor?.name ?? String(factory);
      throw new MomentoCacheOptionsError(
        style,
        `${name} has no createMomentoCacheOptions() method; implement MomentoCacheOptionsFactory (createMomentoCacheOptions() returns the options), or pass useFactory instead`,
      );
    }
    return factory.createMomentoCacheOptions();
  };
}

/**
 * The providers that yield the options for one `forRootAsync` call (plus `extraProviders`).
 * @throws MomentoCacheOptionsError for an unknown key, no or several styles, a bad `useFactory`
 *   or `extraProviders`.
 */
export function asyncOptionsProviders(options: MomentoCacheModuleAsyncOptions): Provider[] {
  if (typeof options !== 'object' || options === null) {
    throw new MomentoCacheOptionsError(
      'forRootAsync',
      'expected { useFactory | useClass | useExisting }',
    );
  }
  for (const key of Object.keys(options)) {
    if (!ASYNC_KEYS.has(key)) {
      throw new MomentoCacheOptionsError(
        key,
        `not an option of forRootAsync (${[...ASYNC_KEYS].join(', ')}); module options such as "${key}" belong in what useFactory returns`,
      );
    }
  }
  const styles = [options.useFactory, options.useClass, options.useExisting].filter(Boolean);
  if (styles.length !== 1) {
    throw new MomentoCacheOptionsError(
      'forRootAsync',
      'give exactly one of "useFactory", "useClass", "useExisting"',
    );
  }
  const extra = options.extraProviders ?? [];
  if (!Array.isArray(extra)) {
    throw new MomentoCacheOptionsError('extraProviders', 'expected an array of providers');
  }
  if (options.useFactory) {
    if (typeof options.useFactory !== 'function') {
      throw new MomentoCacheOptionsError('useFactory', 'expected a function returning the options');
    }
    return [
      ...extra,
      {
        provide: MOMENTO_CACHE_OPTIONS,
        useFactory: options.useFactory,
        inject: options.inject ?? [],
      },
    ];
  }
  if (options.useClass) {
    return [
      ...extra,
      options.useClass,
      {
        provide: MOMENTO_CACHE_OPTIONS,
        useFactory: fromFactory('useClass'),
        inject: [options.useClass],
      },
    ];
  }
  return [
    ...extra,
    {
      provide: MOMENTO_CACHE_OPTIONS,
      useFactory: fromFactory('useExisting'),
      inject: [options.useExisting!],
    },
  ];
}
