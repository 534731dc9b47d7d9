/**
 * The one-screen contract between the core and every adapter.
 *
 * Adapters depend on these types only, never on HTTP details: a `CacheStore` can be the
 * Momento client bound to one cache, an in-memory fake, or a store wrapped by the toolkit
 * (namespaces, chunking, near cache, single-flight), and they are interchangeable.
 */

/** A cache key: a string (sent as UTF-8) or raw bytes. */
export type CacheKey = string | Uint8Array;

/** A cache value: a string (stored as UTF-8) or raw bytes. Reads always return bytes. */
export type CacheValue = string | Uint8Array;

/** Options every call accepts. */
export interface CallOptions {
  /** Abort the call (and its retries). The promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Deadline for the whole call including retries, in ms. Defaults to the client's `timeoutMs`. */
  timeoutMs?: number;
}

export interface SetOptions extends CallOptions {
  /** Time to live in whole seconds (1..max). Defaults to the store's default TTL. */
  ttlSeconds?: number;
}

/** One cache: get / set / delete. A miss is `undefined`, never an error. */
export interface CacheStore {
  /** The cache name this store reads and writes. */
  readonly cacheName: string;
  get(key: CacheKey, options?: CallOptions): Promise<Uint8Array | undefined>;
  set(key: CacheKey, value: CacheValue, options?: SetOptions): Promise<void>;
  /** Idempotent: deleting a missing key succeeds. */
  delete(key: CacheKey, options?: CallOptions): Promise<void>;
}
