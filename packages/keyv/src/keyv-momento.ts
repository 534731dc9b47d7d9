import {
  type CallOptions,
  mapConcurrent,
  type NamespacedStore,
  toTtlSeconds,
} from '@momento-http/core';
import { Deadlines } from './deadline';
import { SafeEmitter } from './emitter';
import { storageKey } from './keys';
import {
  DEFAULT_NAMESPACE,
  type KeyvMomentoOptions,
  type NormalizedOptions,
  normalizeOptions,
} from './options';
import {
  CorruptRecordError,
  decodeRecord,
  encodeRecord,
  isExpired,
  type StoredRecord,
} from './record';
import { buildStack, type StoreStack } from './stack';

/** One entry of {@link KeyvMomento.setMany} (Keyv 5 shape: relative `ttl` in ms). */
export interface KeyvMomentoEntry {
  key: string;
  value: string;
  ttl?: number;
}

/** What `store.opts` shows: the effective settings (Keyv and its test suite read this object). */
export interface KeyvMomentoSettings {
  dialect: 'momento';
  cacheName: string;
  namespace: string | undefined;
  defaultTtlMs: number;
  maxTtlSeconds: number;
  timeoutMs: number;
  concurrency: number;
  nearCache: boolean;
  throwOnErrors: boolean;
  [key: string]: unknown;
}

/**
 * A Keyv storage adapter for Momento over its HTTP API.
 *
 * It implements the Keyv 5 contract (relative TTLs in ms) and works under Keyv 6 through Keyv's
 * bridge. Values are Keyv's serialized strings, stored as UTF-8 behind a tiny deadline header so
 * expiry is exact to the millisecond. Every method catches its errors, emits `'error'` and returns
 * `undefined`/`false` (set `throwOnErrors` to rethrow); every call has a deadline (`timeoutMs`).
 *
 * Use one adapter per Keyv instance: Keyv writes its namespace into the adapter.
 *
 * @example
 * import Keyv from 'keyv';
 * const keyv = new Keyv(new KeyvMomento({ cacheName: 'my-cache' }), { namespace: 'users', useKeyPrefix: false });
 */
export class KeyvMomento extends SafeEmitter {
  /** The effective settings (informational; Keyv requires the property). */
  readonly opts: KeyvMomentoSettings;
  readonly #options: NormalizedOptions;
  readonly #stack: StoreStack;
  readonly #deadlines: Deadlines;
  #namespace: string | undefined;

  constructor(options: KeyvMomentoOptions = {}) {
    super();
    this.#options = normalizeOptions(options);
    this.#namespace = this.#options.namespace;
    this.#deadlines = new Deadlines(this.#options.timeoutMs);
    this.#stack = buildStack(this.#options, (error) => this.emit('error', error));
    const o = this.#options;
    this.opts = {
      dialect: 'momento',
      cacheName: o.cacheName,
      namespace: o.namespace,
      defaultTtlMs: o.ttl.defaultTtlSeconds * 1000,
      maxTtlSeconds: o.ttl.maxTtlSeconds,
      timeoutMs: o.timeoutMs,
      concurrency: o.concurrency,
      nearCache: o.nearCache !== undefined,
      throwOnErrors: o.throwOnErrors,
    };
  }

  /** The namespace; Keyv sets it. `clear()` clears exactly this namespace. */
  get namespace(): string | undefined {
    return this.#namespace;
  }

  set namespace(namespace: string | undefined | null) {
    if (namespace !== undefined && namespace !== null && typeof namespace !== 'string') {
      throw new TypeError(`KeyvMomento: namespace must be a string, received ${typeof namespace}`);
    }
    this.#namespace = namespace ?? undefined;
    this.opts.namespace = this.#namespace;
  }

  /** The Momento cache this store uses. */
  get cacheName(): string {
    return this.#options.cacheName;
  }

  /** The value, or `undefined` when missing, expired or on error. */
  async get<Value = string>(key: string): Promise<Value | undefined> {
    const space = this.#space();
    try {
      const record = await this.#deadline((o) => this.#read(space, key, o));
      return record?.value as Value | undefined;
    } catch (error) {
      return this.#fail(error, undefined);
    }
  }

  /** The values in key order, `undefined` for misses. */
  async getMany<Value = string>(keys: string[]): Promise<Array<Value | undefined>> {
    const space = this.#space();
    const records = await this.#batch(keys, undefined, (key, o) => this.#read(space, key, o));
    return records.map((record) => record?.value as Value | undefined);
  }

  /**
   * Stores a value. `ttl` is relative, in ms; none means `defaultTtlMs`; `ttl <= 0` deletes.
   * @returns `true` when stored, `false` on error.
   */
  async set(key: string, value: string, ttl?: number): Promise<boolean> {
    const space = this.#space();
    try {
      await this.#deadline((o) => this.#write(space, key, value, ttl, o));
      return true;
    } catch (error) {
      return this.#fail(error, false);
    }
  }

  /** Stores many values (bounded concurrency); one boolean per entry. */
  async setMany(entries: KeyvMomentoEntry[]): Promise<boolean[]> {
    const space = this.#space();
    return this.#batch(entries, false, async (entry, o) => {
      await this.#write(space, entry.key, entry.value, entry.ttl, o);
      return true;
    });
  }

  /** Whether the key holds an unexpired value (one GET). */
  async has(key: string): Promise<boolean> {
    const space = this.#space();
    try {
      return (await this.#deadline((o) => this.#read(space, key, o))) !== undefined;
    } catch (error) {
      return this.#fail(error, false);
    }
  }

  /** {@link has} for many keys, in order. */
  async hasMany(keys: string[]): Promise<boolean[]> {
    const space = this.#space();
    return this.#batch(
      keys,
      false,
      async (key, o) => (await this.#read(space, key, o)) !== undefined,
    );
  }

  /**
   * Deletes a key. Momento's DELETE does not say whether the key existed, so this reads it first.
   * @returns whether an unexpired value existed (`false` on error).
   */
  async delete(key: string): Promise<boolean> {
    const space = this.#space();
    try {
      return await this.#deadline((o) => this.#remove(space, key, o));
    } catch (error) {
      return this.#fail(error, false);
    }
  }

  /**
   * Deletes many keys. Keyv 5's contract is one boolean: `true` when every key existed.
   */
  async deleteMany(keys: string[]): Promise<boolean> {
    const space = this.#space();
    const existed = await this.#batch(keys, false, (key, o) => this.#remove(space, key, o));
    return existed.length > 0 && existed.every(Boolean);
  }

  /**
   * Clears the current namespace, and only it: one write of a new namespace generation, seen at once
   * by every process sharing the cache (after `generationCacheMs`). Entries of the old generation
   * become unreachable and expire by their TTL.
   */
  async clear(): Promise<void> {
    const space = this.#space();
    try {
      await this.#deadline((o) => space.clear(o));
    } catch (error) {
      this.#fail(error, undefined);
    }
  }

  /**
   * Releases the calls in flight (they fail with an error, as on a timeout) and empties the near
   * cache. There is no connection to close (HTTP), so the store remains usable afterwards.
   */
  async disconnect(): Promise<void> {
    this.#deadlines.releaseAll(new Error('KeyvMomento: disconnected'));
    this.#stack.near?.clear();
  }

  #space(): NamespacedStore {
    return this.#stack.namespaced(this.#namespace ?? DEFAULT_NAMESPACE);
  }

  #deadline<T>(fn: (options: CallOptions) => Promise<T>): Promise<T> {
    return this.#deadlines.run(fn);
  }

  async #read(
    space: NamespacedStore,
    key: string,
    o: CallOptions,
  ): Promise<StoredRecord | undefined> {
    const bytes = await space.get(await storageKey(key), o);
    if (bytes === undefined) return undefined;
    const record = decodeRecord(bytes);
    if (!record) throw new CorruptRecordError(key);
    return isExpired(record) ? undefined : record;
  }

  async #write(
    space: NamespacedStore,
    key: string,
    value: string,
    ttl: number | undefined,
    o: CallOptions,
  ): Promise<void> {
    if (typeof value !== 'string') {
      throw new TypeError(
        `KeyvMomento stores Keyv's serialized strings; got ${typeof value} for "${key}" (is Keyv's serialization turned off?)`,
      );
    }
    if (ttl !== undefined && ttl !== null && (typeof ttl !== 'number' || Number.isNaN(ttl))) {
      throw new TypeError(
        `KeyvMomento: ttl must be a number of ms, got ${String(ttl)} for "${key}"`,
      );
    }
    // Keyv 5 passes negative TTLs through; an already-expired entry must not be readable.
    const stored = await storageKey(key);
    if (typeof ttl === 'number' && ttl <= 0) return space.delete(stored, o);
    const finite = typeof ttl === 'number' && Number.isFinite(ttl);
    const deadline = finite ? Date.now() + ttl : undefined;
    const ttlSeconds = toTtlSeconds(finite ? ttl : undefined, this.#options.ttl);
    await space.set(stored, encodeRecord(value, deadline), { ...o, ttlSeconds });
  }

  async #remove(space: NamespacedStore, key: string, o: CallOptions): Promise<boolean> {
    const existed = (await this.#read(space, key, o).catch(existedIfCorrupt)) !== undefined;
    await space.delete(await storageKey(key), o);
    return existed;
  }

  /**
   * Runs `fn` for every item with at most `concurrency` in flight, each under its own deadline. A
   * failed item yields `fallback`; the first error is emitted once for the batch.
   */
  async #batch<T, R, F>(
    items: readonly T[],
    fallback: F,
    fn: (item: T, options: CallOptions) => Promise<R>,
  ): Promise<Array<R | F>> {
    let firstError: unknown;
    let failed = false;
    const results = await mapConcurrent(items, this.#options.concurrency, async (item) => {
      try {
        return await this.#deadline((o) => fn(item, o));
      } catch (error) {
        if (!failed) firstError = error;
        failed = true;
        return fallback;
      }
    });
    if (failed) this.#fail(firstError, undefined);
    return results;
  }

  /** Emits the error; rethrows it with `throwOnErrors`, otherwise returns the neutral value. */
  #fail<F>(error: unknown, fallback: F): F {
    this.emit('error', error);
    if (this.#options.throwOnErrors) throw error;
    return fallback;
  }
}

/** A corrupt record still counts as "existed" for delete: it is there, and it is being removed. */
function existedIfCorrupt(error: unknown): StoredRecord | undefined {
  if (error instanceof CorruptRecordError) return { value: '', deadline: undefined };
  throw error;
}
