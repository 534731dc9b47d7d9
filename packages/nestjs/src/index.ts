export { CACHE_MANAGER, CacheInterceptor, CacheKey, CacheTTL } from '@nestjs/cache-manager';
export type {
  MomentoCacheModuleAsyncOptions,
  MomentoCacheOptionsFactory,
} from './async-options';
export { MomentoCacheService } from './cache.service';
export { CacheEvictInterceptor } from './cache-evict.interceptor';
export type { CacheWriteOptions } from './cache-write-options';
export { MomentoCacheContext } from './context';
export type { CacheEvictOptions, CacheTagsValue } from './decorators';
export { CacheEvict, CacheTags } from './decorators';
export { HttpCacheInterceptor } from './http-cache.interceptor';
export type {
  CacheInvalidateOptions,
  FromArgs,
  MethodCacheOptions,
} from './method-decorators';
export { Cacheable, CacheInvalidate, CachePut } from './method-decorators';
export { MomentoCacheModule } from './momento-cache.module';
export { MomentoCacheOptionsError } from './normalize-options';
export type {
  HttpCacheSettings,
  MomentoCacheErrorHandler,
  MomentoCacheModuleOptions,
  NearCacheSettings,
} from './options';
export {
  DEFAULT_CACHE_NAME,
  DEFAULT_CACHE_STATUS_NAME,
  DEFAULT_MAX_TTL_SECONDS,
  DEFAULT_NAMESPACE,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_TTL_SECONDS,
} from './options';
export type { ResponseCache } from './response-cache';
export { MOMENTO_CACHE, MOMENTO_CACHE_OPTIONS } from './tokens';
