import {
  applyDecorators,
  type ExecutionContext,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { CacheEvictInterceptor } from './cache-evict.interceptor';
import { CACHE_EVICT_METADATA, CACHE_TAGS_METADATA } from './tokens';

/** Tags, or a function of the request context that returns them (e.g. `item:${params.id}`). */
export type CacheTagsValue = string[] | ((context: ExecutionContext) => string[]);

/**
 * Tags the responses {@link HttpCacheInterceptor} stores for this handler (or every handler of a
 * controller). `@CacheEvict({ tags })` or `MomentoCacheService.invalidateTags` then invalidates
 * them in every instance.
 *
 * @example
 * @Get(':id') @CacheTags((ctx) => ['items', `item:${ctx.switchToHttp().getRequest().params.id}`])
 */
export function CacheTags(
  ...tags: [(context: ExecutionContext) => string[]] | string[]
): ClassDecorator & MethodDecorator {
  const value: CacheTagsValue =
    typeof tags[0] === 'function'
      ? (tags[0] as (c: ExecutionContext) => string[])
      : (tags as string[]);
  return SetMetadata(CACHE_TAGS_METADATA, value);
}

/** What `@CacheEvict` removes once the handler has succeeded. */
export interface CacheEvictOptions {
  /** Tags to invalidate (responses stored by {@link HttpCacheInterceptor} with `@CacheTags`). */
  tags?: CacheTagsValue;
  /**
   * cache-manager keys to delete: the keys `CacheInterceptor` uses (the request URL, e.g.
   * `'/items'`), `@CacheKey` values, or keys given to `MomentoCacheService`.
   */
  keys?: string[] | ((context: ExecutionContext) => string[]);
}

/**
 * After the handler succeeds (it did not throw), invalidates `tags` and deletes `keys`, before
 * the response is sent, so the client's next read sees fresh data. A cache failure is reported to
 * `onError` and never fails the request (the mutation already happened).
 *
 * @example
 * @Post() @CacheEvict({ tags: ['items'], keys: ['/items'] })
 * create(@Body() item: Item) { … }
 */
export function CacheEvict(options: CacheEvictOptions): MethodDecorator & ClassDecorator {
  if (!options || (options.tags === undefined && options.keys === undefined)) {
    throw new TypeError('@CacheEvict: give "tags" and/or "keys"');
  }
  return applyDecorators(
    SetMetadata(CACHE_EVICT_METADATA, options),
    UseInterceptors(CacheEvictInterceptor),
  );
}
