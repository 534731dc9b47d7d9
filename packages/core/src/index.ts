export type { CacheKey, CacheStore, CacheValue, CallOptions, SetOptions } from './contract';

// caching toolkit
export { mapConcurrent } from './toolkit/concurrency';
export type { MemoryStore, MemoryStoreOptions } from './toolkit/memory-store';
export { createMemoryStore } from './toolkit/memory-store';
export { SingleFlight } from './toolkit/single-flight';
export type { TtlPolicy } from './toolkit/ttl';
export { DEFAULT_MAX_TTL_SECONDS, normalizeTtlPolicy, toTtlSeconds } from './toolkit/ttl';
