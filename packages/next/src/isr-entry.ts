/**
 * `@momento-http/next/isr`: the default export is the `cacheHandler` class, configured from
 * `MOMENTO_API_KEY`, `MOMENTO_ENDPOINT` and `MOMENTO_CACHE_NAME`.
 *
 * @example
 * // next.config.mjs
 * cacheHandler: fileURLToPath(import.meta.resolve('@momento-http/next/isr')),
 * cacheMaxMemorySize: 0,
 */
import { createIsrHandler } from './isr';

export type {
  CacheControl,
  IsrCacheEntry,
  IsrContext,
  IsrHandler,
  IsrHandlerClass,
  IsrHandlerContext,
  IsrValue,
} from './isr';
export type { NextCacheOptions } from './options';
export { createIsrHandler };

const MomentoIsrHandler: ReturnType<typeof createIsrHandler> = createIsrHandler();
export default MomentoIsrHandler;
