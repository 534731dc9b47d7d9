import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { MomentoCacheContext } from './context';
import { MethodCache } from './method-cache';
import { MOMENTO_CACHE } from './tokens';

/** Prototypes that have a method decorated with `@Cacheable`, `@CachePut` or `@CacheInvalidate`. */
const decoratedPrototypes = new WeakSet<object>();
/** The method cache of the app each decorated provider or controller instance belongs to. */
const cacheOfInstance = new WeakMap<object, MethodCache>();
/** Method caches of the apps running in this process (usually one). */
const running = new Set<MethodCache>();

/** Called by the method decorators when they wrap a method of `prototype`. */
export function markDecorated(prototype: object): void {
  decoratedPrototypes.add(prototype);
}

/**
 * The method cache a decorated call on `instance` uses: the one of the app whose module created
 * the instance; for instances Nest did not create at startup (request-scoped providers, `new`),
 * the only app running in this process. `undefined` (the method then runs uncached) when no app
 * is running, or several are and the instance belongs to none of them.
 */
export function methodCacheOf(instance: unknown): MethodCache | undefined {
  if (typeof instance === 'object' && instance !== null) {
    const bound = cacheOfInstance.get(instance);
    if (bound) return bound;
  }
  if (running.size !== 1) return undefined;
  return running.values().next().value;
}

/**
 * Connects decorated methods to the module's cache. The decorators replace the method on the
 * prototype (where Nest's routers, GraphQL resolvers and microservice handlers take it from) and
 * find their cache through the instance, so two apps in one process (tests, workers) keep their
 * caches apart: at startup every provider and controller instance with a decorated method is
 * bound to this module's cache.
 */
@Injectable()
export class MethodCacheBinding implements OnModuleInit, OnModuleDestroy {
  readonly cache: MethodCache;

  constructor(
    @Inject(MOMENTO_CACHE) context: MomentoCacheContext,
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
  ) {
    this.cache = new MethodCache(context);
  }

  onModuleInit(): void {
    running.add(this.cache);
    const wrappers = [...this.discovery.getProviders(), ...this.discovery.getControllers()];
    for (const wrapper of wrappers) {
      const instance: unknown = wrapper.instance;
      if (typeof instance !== 'object' || instance === null) continue;
      if (hasDecoratedMethod(instance)) cacheOfInstance.set(instance, this.cache);
    }
  }

  onModuleDestroy(): void {
    running.delete(this.cache);
  }
}

function hasDecoratedMethod(instance: object): boolean {
  for (let proto = Object.getPrototypeOf(instance); proto; proto = Object.getPrototypeOf(proto)) {
    if (decoratedPrototypes.has(proto)) return true;
  }
  return false;
}
