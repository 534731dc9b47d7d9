/**
 * `@momento-http/core/node` (and `@momento-http/core` under the `node` export condition): the same
 * API as the default entry, but clients default to the undici transport, which measures several
 * times faster than Node's global `fetch`. Pass `fetch` or `transport` to override.
 */
import { MomentoClient as FetchMomentoClient } from './client/client';
import type { ClientOptions } from './client/options';
import type { Transport } from './client/transport';
import { undiciTransport } from './client/undici-transport';
import {
  createPurgeHandlerWith,
  type PurgeHandler,
  type PurgeHandlerOptions,
} from './purge/purge-handler';
import {
  type CacheTarget,
  type CacheTargetOptions,
  resolveCacheTarget as resolveWithClientFactory,
} from './toolkit/cache-target';

export type { UndiciTransportOptions } from './client/undici-transport';
export {
  DEFAULT_CONNECTIONS,
  DEFAULT_KEEP_ALIVE_MS,
  undiciTransport,
} from './client/undici-transport';
export * from './index';
export type { PurgeHandler, PurgeHandlerOptions } from './purge/purge-handler';
export { DEFAULT_PURGE_MAX_BODY_BYTES } from './purge/purge-handler';
export { MIN_SECRET_LENGTH } from './purge/secret-check';

/**
 * A purge endpoint for CMS webhooks, outside any app (see the README, "Purge outside any app"):
 * `POST {"tags": [...]}` with `Authorization: Bearer <secret>` invalidates those tags for every
 * `@momento-http` package in `tagNamespace`.
 *
 * @example
 * import { createServer } from 'node:http';
 * createServer(createPurgeHandler({ secret: process.env.PURGE_SECRET! })).listen(8080, '127.0.0.1');
 */
export function createPurgeHandler(options: PurgeHandlerOptions): PurgeHandler {
  return createPurgeHandlerWith(options, (target) => resolveCacheTarget(target).store);
}

let shared: Transport | undefined;

/** One Agent per process for clients that did not bring their own transport: connections are shared. */
function defaultTransport(): Transport {
  shared ??= undiciTransport();
  return shared;
}

/**
 * `MomentoClient` with the undici transport by default.
 * @example const client = new MomentoClient({ baseUrl: 'http://127.0.0.1:4545', apiKey });
 */
export class MomentoClient extends FetchMomentoClient {
  constructor(options: ClientOptions = {}) {
    super(
      options.transport || options.fetch ? options : { ...options, transport: defaultTransport() },
    );
  }
}

/** `createClient` with the undici transport by default. */
export function createClient(options?: ClientOptions): MomentoClient {
  return new MomentoClient(options);
}

/**
 * `resolveCacheTarget` whose default client uses the undici transport (this entry's
 * `createClient`). Shadows the default entry's export of the same name.
 */
export function resolveCacheTarget(
  options?: CacheTargetOptions,
  env?: Record<string, string | undefined>,
): CacheTarget {
  return resolveWithClientFactory(options, env, createClient);
}
