export type {
  CacheControl,
  IsrCacheEntry,
  IsrContext,
  IsrHandler,
  IsrHandlerClass,
  IsrHandlerContext,
  IsrValue,
} from './isr';
export { createIsrHandler } from './isr';
export {
  DEFAULT_CACHE_NAME,
  DEFAULT_GET_TIMEOUT_MS,
  DEFAULT_MAX_ITEM_BYTES,
  DEFAULT_NAMESPACE,
  DEFAULT_SET_TIMEOUT_MS,
  type NextCacheOptions,
  type NextNearCacheOptions,
} from './options';
export { NoCacheHandlerError, revalidateTags } from './revalidate-tags';
export { stats } from './stats';
export type { UseCacheEntry, UseCacheHandler } from './use-cache';
export { createUseCacheHandler } from './use-cache';
