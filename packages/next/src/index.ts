export { BuildOutputError, type PrerenderedKind } from './build-output';
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
export { NextSetupError } from './next-setup';
export {
  DEFAULT_CACHE_NAME,
  DEFAULT_GET_TIMEOUT_MS,
  DEFAULT_MAX_ITEM_BYTES,
  DEFAULT_NAMESPACE,
  DEFAULT_SET_TIMEOUT_MS,
  type NextCacheOptions,
} from './options';
export { NoCacheHandlerError, revalidateTags } from './revalidate-tags';
export {
  type SeedEntry,
  type SeedFailure,
  type SeedOptions,
  type SeedProgress,
  type SeedReport,
  seedCache,
} from './seed';
export { stats } from './stats';
export type { UseCacheEntry, UseCacheHandler } from './use-cache';
export { createUseCacheHandler } from './use-cache';
