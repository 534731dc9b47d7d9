import { MomentoClient } from '../client/client';
import { InvalidArgumentError } from '../client/errors';
import { namePath } from '../client/keys';
import type { ClientOptions } from '../client/options';
import type { CacheStore } from '../contract';
import type { TopicsApi } from './invalidation-bus';
import { topicsOf } from './near-coherence';

/** The cache name every adapter uses when neither the options nor the environment name one. */
export const DEFAULT_CACHE_NAME = 'default-cache';

/** The part of an adapter's options that says which cache to use. */
export interface CacheTargetOptions {
  /** A ready store (the memory store in tests, a wrapped store). Excludes `client`. */
  store?: CacheStore | undefined;
  /** A Momento client; the target is `client.cache(cacheName)`. Excludes `store`. */
  client?: Pick<MomentoClient, 'cache'> | undefined;
  /** The cache name. With a `store`, it must be the store's own name (or be left out). */
  cacheName?: string | undefined;
}

/** Where an adapter reads and writes. */
export interface CacheTarget {
  store: CacheStore;
  cacheName: string;
  /**
   * The client's Topics, when there is a client (given, default, or behind a store from
   * `client.cache()`): what near-cache coherence publishes and subscribes on. `undefined` for
   * stores without (the memory store, a custom store).
   */
  topics: TopicsApi | undefined;
}

type Env = Record<string, string | undefined>;

/**
 * The one way every adapter turns its options and the environment into a store:
 *
 * - `store` given: that store; `cacheName` defaults to `store.cacheName` (a different one is an error).
 * - otherwise `client.cache(cacheName)`, with `client` defaulting to a client configured from
 *   `MOMENTO_API_KEY` / `MOMENTO_ENDPOINT` (`newClient({ env })`);
 * - `cacheName`: the option, else the store's, else `MOMENTO_CACHE_NAME` (unset or empty means
 *   unset), else `'default-cache'`.
 *
 * The default client uses this entry's transport: `fetch` here, undici under `@momento-http/core/node`
 * (whose `resolveCacheTarget` passes its own `newClient`).
 *
 * @param env Where `MOMENTO_*` variables are read. @default globalThis.process?.env
 * @throws InvalidArgumentError naming the option: both `store` and `client`, a `store` or `client`
 *   of the wrong shape, a bad `cacheName` (or `MOMENTO_CACHE_NAME`), a `cacheName` that is not
 *   the store's; and the client's own `InvalidArgumentError` when no API key is configured.
 * @example
 * const { store, cacheName } = resolveCacheTarget({ cacheName: options.cacheName, client: options.client });
 */
export function resolveCacheTarget(
  options: CacheTargetOptions = {},
  env: Env | undefined = processEnv(),
  newClient: (options: ClientOptions) => Pick<MomentoClient, 'cache'> = (o) => new MomentoClient(o),
): CacheTarget {
  const { store, client, cacheName } = options;
  if (store !== undefined && client !== undefined) {
    throw new InvalidArgumentError('store and client: give one or the other, not both');
  }
  if (store !== undefined && !isStore(store)) {
    throw new InvalidArgumentError('store must be a CacheStore (cacheName, get, set, delete)');
  }
  if (client !== undefined && typeof (client as { cache?: unknown })?.cache !== 'function') {
    throw new InvalidArgumentError('client must be a MomentoClient (with a cache(name) method)');
  }
  if (cacheName !== undefined) namePath(cacheName, 'cacheName');
  if (store) {
    if (cacheName !== undefined && cacheName !== store.cacheName) {
      throw new InvalidArgumentError(
        `cacheName "${cacheName}" is not the given store's cache ("${store.cacheName}")`,
      );
    }
    return { store, cacheName: store.cacheName, topics: topicsOf(store) };
  }
  const fromEnv = env?.MOMENTO_CACHE_NAME || undefined;
  if (cacheName === undefined && fromEnv !== undefined) namePath(fromEnv, 'MOMENTO_CACHE_NAME');
  const name = cacheName ?? fromEnv ?? DEFAULT_CACHE_NAME;
  const source = client ?? newClient({ env });
  return { store: source.cache(name), cacheName: name, topics: topicsOf(source) };
}

function isStore(value: unknown): value is CacheStore {
  const s = value as Partial<CacheStore> | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.cacheName === 'string' &&
    typeof s.get === 'function' &&
    typeof s.set === 'function' &&
    typeof s.delete === 'function'
  );
}

function processEnv(): Env | undefined {
  return (globalThis as { process?: { env?: Env } }).process?.env;
}
