/** `MomentoClient`: the cache data plane, plus the object store and Valkey cluster APIs. */
import type { CacheKey, CacheStore, CacheValue, CallOptions, SetOptions } from '../contract';
import { BoundedMap } from '../toolkit/bounded-map';
import { HttpCacheStore } from './cache';
import { Clusters } from './clusters';
import type { ApiKeyFormat } from './credentials';
import { ObjectStore, ObjectStores } from './object-store';
import { type ClientOptions, normalizeOptions } from './options';
import type { RequestContext } from './request';
import { Topics } from './topics';

/** Bound stores kept for `client.get(cache, …)`; beyond this many names the memo starts over. */
const MAX_MEMOIZED_CACHES = 128;

/**
 * A client for Momento's HTTP API. Misses are `undefined`; failures are `MomentoError`s.
 *
 * @example
 * const client = new MomentoClient({ apiKey, endpoint: 'cell-4-us-west-2-1.prod.a.momentohq.com' });
 * await client.set('default-cache', 'greeting', 'hello', { ttlSeconds: 60 });
 * const bytes = await client.get('default-cache', 'greeting'); // Uint8Array | undefined
 */
export class MomentoClient {
  /** The HTTP base URL every request goes to. */
  readonly baseUrl: string;
  /** TTL that `set` uses when the call gives none. */
  readonly defaultTtlSeconds: number;
  /** Key + value bytes beyond which `set` throws `ItemTooLargeError` without a request. */
  readonly maxItemBytes: number;
  /** Which credential format the API key was in. */
  readonly keyFormat: ApiKeyFormat;
  /** @internal */
  protected readonly context: RequestContext;
  /** Object store control plane: create/update, describe, list, delete (super-user keys). */
  readonly objectStores: ObjectStores;
  /** Valkey cluster control plane (super-user keys). */
  readonly clusters: Clusters;
  /** Momento Topics: `publish`, and `subscribe` (a long poll off the cache calls' connections). */
  readonly topics: Topics;
  readonly #stores = new BoundedMap<string, HttpCacheStore>(MAX_MEMOIZED_CACHES);

  constructor(options: ClientOptions = {}) {
    const normalized = normalizeOptions(options);
    this.baseUrl = normalized.baseUrl;
    this.defaultTtlSeconds = normalized.defaultTtlSeconds;
    this.maxItemBytes = normalized.maxItemBytes;
    this.keyFormat = normalized.keyFormat;
    this.context = normalized.context;
    this.objectStores = new ObjectStores(this.context, this.baseUrl);
    this.clusters = new Clusters(this.context, this.baseUrl, normalized.clusterApi);
    this.topics = new Topics(this.context, this.baseUrl);
  }

  /**
   * One object store's data plane: put / get (body + metadata) / delete.
   * @example await client.objectStore('assets').put('img/logo.png', bytes, { metadata: { 'content-type': 'image/png' } });
   */
  objectStore(storeName: string): ObjectStore {
    return new ObjectStore(this.context, this.baseUrl, storeName);
  }

  /**
   * One cache as a `CacheStore` (get / set / delete): what adapters and the toolkit take.
   * @example const store = client.cache('default-cache');
   */
  cache(cacheName: string): CacheStore {
    let store = this.#stores.get(cacheName);
    if (!store) {
      store = new HttpCacheStore(
        this.context,
        this.baseUrl,
        cacheName,
        {
          defaultTtlSeconds: this.defaultTtlSeconds,
          maxItemBytes: this.maxItemBytes,
        },
        this.topics,
      );
      this.#stores.set(cacheName, store);
    }
    return store;
  }

  /** The value as bytes, or `undefined` on a miss. */
  async get(
    cacheName: string,
    key: CacheKey,
    options?: CallOptions,
  ): Promise<Uint8Array | undefined> {
    return this.cache(cacheName).get(key, options);
  }

  /** Stores a value for `ttlSeconds` (default: `defaultTtlSeconds`). */
  async set(
    cacheName: string,
    key: CacheKey,
    value: CacheValue,
    options?: SetOptions,
  ): Promise<void> {
    return this.cache(cacheName).set(key, value, options);
  }

  /** Deletes a key; deleting a missing key succeeds. */
  async delete(cacheName: string, key: CacheKey, options?: CallOptions): Promise<void> {
    return this.cache(cacheName).delete(key, options);
  }
}

/**
 * Creates a client; with no options it reads `MOMENTO_API_KEY` and `MOMENTO_ENDPOINT`.
 * @example const client = createClient(); // from the environment
 */
export function createClient(options?: ClientOptions): MomentoClient {
  return new MomentoClient(options);
}
