/** Injection token of the options given to `forRoot` / returned by `forRootAsync`'s factory. */
export const MOMENTO_CACHE_OPTIONS = Symbol('MOMENTO_CACHE_OPTIONS');
/** Injection token of the {@link MomentoCacheContext} (store, Keyv instance, tag store). */
export const MOMENTO_CACHE = Symbol('MOMENTO_CACHE');

/** Metadata key written by `@CacheTags`. */
export const CACHE_TAGS_METADATA = 'momento_cache:tags';
/** Metadata key written by `@CacheEvict`. */
export const CACHE_EVICT_METADATA = 'momento_cache:evict';
