import { InvalidArgumentError } from '@momento-http/core';
import type { MethodCache, MethodCachePlan, MethodEvictionPlan } from './method-cache';
import { markDecorated, methodCacheOf } from './method-cache-binding';

/** A value given as is, or computed from the decorated method's arguments. */
// biome-ignore lint/suspicious/noExplicitAny: the arguments of any method
export type FromArgs<T, A extends unknown[] = any[]> = T | ((...args: A) => T);

/** Options of {@link Cacheable} and {@link CachePut}. */
// biome-ignore lint/suspicious/noExplicitAny: the arguments of any method
export interface MethodCacheOptions<A extends unknown[] = any[]> {
  /** The cache key: a string, or a function of the method's arguments (`(id) => \`user:${id}\``). */
  key: FromArgs<string, A>;
  /** TTL in ms (like `@CacheTTL`); default: the module's `ttl`, then `defaultTtlSeconds`. */
  ttl?: FromArgs<number, A>;
  /** Tags of the stored value, invalidated by `@CacheInvalidate`, `@CacheEvict` or `invalidateTags`. */
  tags?: FromArgs<string[], A>;
}

/** Options of {@link CacheInvalidate}. */
// biome-ignore lint/suspicious/noExplicitAny: the arguments of any method
export interface CacheInvalidateOptions<A extends unknown[] = any[]> {
  /** Keys given to `@Cacheable` / `@CachePut` whose values are deleted. */
  keys?: FromArgs<string[], A>;
  /** Tags to invalidate: method results and `@CacheTags` responses carrying them. */
  tags?: FromArgs<string[], A>;
}

/**
 * Caches the method's result under `key` (any injectable: services, GraphQL resolvers,
 * microservice handlers, controllers). Concurrent calls for one key in this process run the
 * method once. A failing or hung cache costs at most `timeoutMs` and runs the method; the method's
 * own errors reject and are not stored. The decorated method returns a promise.
 *
 * @example
 * @Cacheable({ key: (id: string) => `user:${id}`, ttl: 60_000, tags: (id: string) => [`user:${id}`] })
 * async findUser(id: string) { … }
 */
// biome-ignore lint/suspicious/noExplicitAny: the arguments of any method
export function Cacheable<A extends unknown[] = any[]>(
  options: MethodCacheOptions<A>,
): MethodDecorator {
  checkCacheOptions('@Cacheable', options);
  return wrapMethod('@Cacheable', (cache, args, run) => {
    const plan = planOrReport(cache, options, args);
    return plan ? cache.cacheable(plan, run) : run();
  });
}

/**
 * Always runs the method, then stores its result under `key` (the same keys as `@Cacheable`), so
 * the next `@Cacheable` read gets the new value. A cache failure never fails the method.
 *
 * @example
 * @CachePut({ key: (user: User) => `user:${user.id}` })
 * async saveUser(user: User) { … }
 */
// biome-ignore lint/suspicious/noExplicitAny: the arguments of any method
export function CachePut<A extends unknown[] = any[]>(
  options: MethodCacheOptions<A>,
): MethodDecorator {
  checkCacheOptions('@CachePut', options);
  return wrapMethod('@CachePut', (cache, args, run) => {
    const plan = planOrReport(cache, options, args);
    return plan ? cache.put(plan, run) : run();
  });
}

/**
 * After the method succeeds, deletes `keys` (of `@Cacheable` / `@CachePut`) and invalidates `tags`
 * in every instance sharing the cache, before the method's promise resolves. A cache failure is
 * reported and never fails the method. (Not `@CacheEvict`: that name is the HTTP decorator whose
 * functions take the request's `ExecutionContext`; these take the method's arguments.)
 *
 * @example
 * @CacheInvalidate({ keys: (id: string) => [`user:${id}`], tags: ['users'] })
 * async deleteUser(id: string) { … }
 */
// biome-ignore lint/suspicious/noExplicitAny: the arguments of any method
export function CacheInvalidate<A extends unknown[] = any[]>(
  options: CacheInvalidateOptions<A>,
): MethodDecorator {
  if (!options || typeof options !== 'object' || (!options.keys && !options.tags)) {
    throw new InvalidArgumentError('@CacheInvalidate: give "keys" and/or "tags"');
  }
  checkFromArgs('@CacheInvalidate', 'keys', options.keys, isStringArray);
  checkFromArgs('@CacheInvalidate', 'tags', options.tags, isStringArray);
  return wrapMethod('@CacheInvalidate', async (cache, args, run) => {
    const value = await run();
    let plan: MethodEvictionPlan | undefined;
    try {
      plan = {
        keys: checked(resolve(options.keys, args) ?? [], isStringArray, 'keys'),
        tags: checked(resolve(options.tags, args) ?? [], isStringArray, 'tags'),
      };
    } catch (error) {
      cache.report(error, 'evict');
    }
    if (plan) await cache.evict(plan);
    return value;
  });
}

type Around = (cache: MethodCache, args: unknown[], run: () => unknown) => unknown;

/**
 * Replaces the method on the prototype (where Nest takes handlers from) with one that runs
 * `around`, keeping the original's name and metadata (route, pattern and resolver decorators
 * applied before this one).
 */
function wrapMethod(decorator: string, around: Around): MethodDecorator {
  return (target, propertyKey, descriptor) => {
    const original = descriptor.value as unknown;
    if (typeof original !== 'function') {
      throw new InvalidArgumentError(
        `${decorator} decorates methods; ${String(propertyKey)} is not one`,
      );
    }
    markDecorated(target);
    const wrapped = function (this: unknown, ...args: unknown[]) {
      const run = () => original.apply(this, args);
      const cache = methodCacheOf(this);
      if (!cache || cache.closed) return run();
      return around(cache, args, run);
    };
    Object.defineProperty(wrapped, 'name', { value: original.name });
    for (const key of Reflect.getMetadataKeys?.(original) ?? []) {
      Reflect.defineMetadata(key, Reflect.getMetadata(key, original), wrapped);
    }
    (descriptor as PropertyDescriptor).value = wrapped;
    return descriptor;
  };
}

/** The call's plan, or `undefined` (reported) when an option function threw or returned junk. */
function planOrReport(
  cache: MethodCache,
  options: MethodCacheOptions,
  args: unknown[],
): MethodCachePlan | undefined {
  try {
    return planOf(options, args);
  } catch (error) {
    cache.report(error, 'key');
    return undefined;
  }
}

/** The call's key, TTL and tags; throws when an option function throws or returns junk. */
function planOf(options: MethodCacheOptions, args: unknown[]): MethodCachePlan {
  const key = checked(resolve(options.key, args), isKey, 'key');
  const ttlMs = resolve(options.ttl, args);
  if (ttlMs !== undefined) checked(ttlMs, isTtl, 'ttl');
  const tags = checked(resolve(options.tags, args) ?? [], isStringArray, 'tags');
  return { key, ttlMs, tags };
}

function resolve<T>(value: FromArgs<T> | undefined, args: unknown[]): T | undefined {
  return typeof value === 'function' ? (value as (...a: unknown[]) => T)(...args) : value;
}

const isKey = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isTtl = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every(isKey);

function checked<T>(value: unknown, ok: (v: unknown) => v is T, what: string): T {
  if (!ok(value)) {
    throw new InvalidArgumentError(`method cache: "${what}" resolved to ${describe(value)}`);
  }
  return value;
}

function checkCacheOptions(decorator: string, options: MethodCacheOptions): void {
  if (!options || typeof options !== 'object') {
    throw new InvalidArgumentError(`${decorator}: expected { key, ttl?, tags? }`);
  }
  if (options.key === undefined) throw new InvalidArgumentError(`${decorator}: "key" is required`);
  checkFromArgs(decorator, 'key', options.key, isKey);
  checkFromArgs(decorator, 'ttl', options.ttl, isTtl);
  checkFromArgs(decorator, 'tags', options.tags, isStringArray);
}

/** A static option is checked when the class is defined; a function, on each call. */
function checkFromArgs(
  decorator: string,
  name: string,
  value: unknown,
  ok: (v: unknown) => boolean,
): void {
  if (value === undefined || typeof value === 'function' || ok(value)) return;
  throw new InvalidArgumentError(`${decorator}: invalid "${name}": ${describe(value)}`);
}

const describe = (value: unknown) =>
  typeof value === 'string'
    ? JSON.stringify(value)
    : Array.isArray(value)
      ? 'an array with a non-string or empty item'
      : String(value);
