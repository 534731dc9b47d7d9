export type { CacheKey, CacheValue, CallOptions, SetOptions, CacheStore } from './contract';
