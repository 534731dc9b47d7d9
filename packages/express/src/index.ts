export type { PurgeTarget, ResponseCacheMiddleware } from './middleware';
export { responseCache } from './middleware';
export type { CacheOperation, ResponseCacheOptions } from './options';
export {
  DEFAULT_CACHE_STATUS_NAME,
  DEFAULT_KEEP_SECONDS,
  DEFAULT_KEY_PREFIX,
  DEFAULT_LOCK_TIMEOUT_MS,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_TTL_SECONDS,
  DEFAULT_READ_TIMEOUT_MS,
  DEFAULT_STATUSES,
  DEFAULT_WRITE_TIMEOUT_MS,
} from './options';
export { DEFAULT_TARGETED_FIELDS } from './targeted';
export type { CacheRequest, CacheResponse } from './types';
