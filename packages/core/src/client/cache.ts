/** The cache data plane: GET / PUT / DELETE `/cache/{cache}?key=…`. */
import type { CacheKey, CacheStore, CacheValue, CallOptions, SetOptions } from '../contract';
import { ItemTooLargeError } from './errors';
import { keyByteLength, keyQuery, namePath, valueBytes } from './keys';
import { checkTtl } from './options';
import { type RequestContext, send } from './request';
import type { Topics } from './topics';

/** A `CacheStore` bound to one cache; the URL prefix is computed once. */
export class HttpCacheStore implements CacheStore {
  readonly cacheName: string;
  /** The client's Topics: adapters given this store use it for near-cache coherence. */
  readonly topics: Topics | undefined;
  readonly #ctx: RequestContext;
  readonly #prefix: string;
  readonly #putHeaders: Record<string, string>;
  readonly #defaultTtlSeconds: number;
  readonly #maxItemBytes: number;

  constructor(
    ctx: RequestContext,
    baseUrl: string,
    cacheName: string,
    limits: { defaultTtlSeconds: number; maxItemBytes: number },
    topics?: Topics,
  ) {
    this.topics = topics;
    this.#prefix = `${baseUrl}/cache/${namePath(cacheName)}?`;
    this.cacheName = cacheName;
    this.#ctx = ctx;
    this.#defaultTtlSeconds = limits.defaultTtlSeconds;
    this.#maxItemBytes = limits.maxItemBytes;
    this.#putHeaders = { ...ctx.headers, 'content-type': 'application/octet-stream' };
  }

  /** The value, or `undefined` on a miss. Throws `CacheNotFoundError` for a missing cache. */
  async get(key: CacheKey, options?: CallOptions): Promise<Uint8Array | undefined> {
    const url = this.#prefix + keyQuery(key);
    const response = await send(this.#ctx, { method: 'GET', url, missOn404: true }, options);
    return response?.body;
  }

  /**
   * Stores the value for `ttlSeconds` (default: the client's `defaultTtlSeconds`). A key + value
   * over `maxItemBytes` throws `ItemTooLargeError` and sends nothing: the server would refuse it
   * after the whole upload.
   */
  async set(key: CacheKey, value: CacheValue, options?: SetOptions): Promise<void> {
    const ttl =
      options?.ttlSeconds === undefined ? this.#defaultTtlSeconds : checkTtl(options.ttlSeconds);
    const url = `${this.#prefix}${keyQuery(key)}&ttl_seconds=${ttl}`;
    const body = valueBytes(value);
    const size = body.length + keyByteLength(key);
    if (size > this.#maxItemBytes) {
      throw new ItemTooLargeError(
        `Item too large: key + value are ${size} bytes, over the ${this.#maxItemBytes}-byte item limit (not sent)`,
        { method: 'PUT', url: this.#prefix.slice(0, -1) },
      );
    }
    await send(this.#ctx, { method: 'PUT', url, body, headers: this.#putHeaders }, options);
  }

  /** Deletes the key; deleting a missing key succeeds. */
  async delete(key: CacheKey, options?: CallOptions): Promise<void> {
    const url = this.#prefix + keyQuery(key);
    await send(this.#ctx, { method: 'DELETE', url }, options);
  }
}
