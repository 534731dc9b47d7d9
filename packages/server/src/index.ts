export type { ApiKeyOptions, CacheRole } from './auth/keys.js';
export { toV1Key } from './auth/keys.js';
export type { FaultControls, FaultRule } from './faults.js';
export type { FetchHandler } from './fetch-handler.js';
export { createHandler } from './fetch-handler.js';
export type { ServerOptions } from './options.js';
export {
  DEFAULT_CACHE,
  DEFAULT_HOST,
  DEFAULT_MAX_ITEM_BYTES,
  DEFAULT_MAX_TTL_SECONDS,
  DEFAULT_PORT,
  MAX_KEY_BYTES,
  ServerOptionsError,
} from './options.js';
export type { RunningServer } from './server.js';
export { ServerListenError, startServer } from './server.js';
