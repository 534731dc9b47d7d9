/**
 * `@momento-http/next/use-cache`: the default export is the `cacheHandlers` object for
 * `'use cache'` (`default`) and `'use cache: remote'` (`remote`), configured from
 * `MOMENTO_API_KEY`, `MOMENTO_ENDPOINT` and `MOMENTO_CACHE_NAME`.
 *
 * @example
 * // next.config.mjs
 * const useCache = fileURLToPath(import.meta.resolve('@momento-http/next/use-cache'));
 * cacheHandlers: { default: useCache, remote: useCache },
 */
import { createUseCacheHandler } from './use-cache';

export type { NextCacheOptions } from './options';
export type { UseCacheEntry, UseCacheHandler } from './use-cache';
export { createUseCacheHandler };

const momentoUseCacheHandler: ReturnType<typeof createUseCacheHandler> = createUseCacheHandler();
export default momentoUseCacheHandler;
