import { type CallOptions, toTtlSeconds } from '@momento-http/core';
import { type BatchContext, runBatch } from './batch';
import { Deadlines } from './deadline';
import { SafeEmitter } from './emitter';
import type { Generations } from './generations';
import { storageKey } from './keys';
import type { NearRecords } from './near';
import { Operations, prepareWrite } from './operations';
import {
  DEFAULT_NAMESPACE,
  type KeyvMomentoOptions,
  type NormalizedOptions,
  normalizeOptions,
} from './options';
import { checkEntry, isExpired, type StoredRecord } from './record';
import { buildStack, type StoreStack } from './stack';

/** Background near-cache refreshes allowed in flight, per unit of `concurrency`. */
const REFRESH_SLOTS = 16;

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
  readonly #ops: Operations;
  readonly #batchContext: BatchContext;
  readonly #near: NearRecords | undefined;
  #namespace: string | undefined;
  /** Background refreshes of near-cache entries in flight. */
  #refreshing = 0;
  /** The current namespace's generations (looked up once per namespace change, not per call). */
  #space: Generations;

  constructor(options: KeyvMomentoOptions = {}) {
    super();
    this.#options = normalizeOptions(options);
    this.#namespace = this.#options.namespace;
    this.#deadlines = new Deadlines(this.#options.timeoutMs);
    this.#stack = buildStack(this.#options, (error) => this.emit('error', error));
    this.#near = this.#stack.near;
    this.#ops = new Operations(this.#stack.store, this.#near);
    this.#space = this.#stack.generations(this.#namespace ?? DEFAULT_NAMESPACE);
    this.#batchContext = {
      concurrency: this.#options.concurrency,
      deadline: (fn) => this.#deadline(fn),
    };
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
    this.#space = this.#stack.generations(this.#namespace ?? DEFAULT_NAMESPACE);
    this.opts.namespace = this.#namespace;
  }

  /** The Momento cache this store uses. */
  get cacheName(): string {
    return this.#options.cacheName;
  }

  /**
   * The value, or `undefined` when missing, expired or on error. A near-cache hit answers at once,
   * without a request, a timer or a decode.
   */
  get<Value = string>(key: string): Promise<Value | undefined> {
    const hit = this.#nearHit(key);
    if (hit !== undefined) return Promise.resolve(hit.value as Value);
    return this.#get<Value>(key);
  }

  /** The values in key order, `undefined` for misses. Near-cache hits make no request. */
  async getMany<Value = string>(keys: string[]): Promise<Array<Value | undefined>> {
    const space = this.#space;
    const values = new Array<Value | undefined>(keys.length);
    const missing: number[] = [];
    for (let i = 0; i < keys.length; i++) {
      const hit = this.#nearHit(keys[i]!);
      if (hit !== undefined) values[i] = hit.value as Value;
      else missing.push(i);
    }
    if (missing.length === 0) return values;
    const records = await this.#batch(space, missing, undefined, async (i, prefix, o) => {
      const key = keys[i]!;
      return this.#ops.read(prefix + (await storageKey(key)), key, o);
    });
    for (let j = 0; j < missing.length; j++) values[missing[j]!] = records[j]?.value as Value;
    return values;
  }

  /**
   * Stores a value (one PUT, and the near cache updated). `ttl` is relative, in ms; none means
   * `defaultTtlMs`; `ttl <= 0` deletes.
   * @returns `true` when stored, `false` on error.
   */
  async set(key: string, value: string, ttl?: number): Promise<boolean> {
    const space = this.#space;
    try {
      await this.#deadline((o) => this.#write(key, value, ttl, o, space));
      return true;
    } catch (error) {
      return this.#fail(error, false);
    }
  }

  /** Stores many values (bounded concurrency); one boolean per entry. */
  async setMany(entries: KeyvMomentoEntry[]): Promise<boolean[]> {
    const space = this.#space;
    return this.#batch(space, entries, false, async (entry, prefix, o) => {
      await this.#write(entry.key, entry.value, entry.ttl, o, () => prefix);
      return true;
    });
  }

  /** Whether the key holds an unexpired value (a near-cache hit, or one GET). */
  async has(key: string): Promise<boolean> {
    if (this.#nearHit(key) !== undefined) return true;
    const space = this.#space;
    try {
      return (await this.#deadline((o) => this.#read(space, key, o))) !== undefined;
    } catch (error) {
      return this.#fail(error, false);
    }
  }

  /** {@link has} for many keys, in order. */
  async hasMany(keys: string[]): Promise<boolean[]> {
    const space = this.#space;
    return this.#batch(
      space,
      keys,
      false,
      async (key, prefix, o) =>
        this.#nearHit(key) !== undefined ||
        (await this.#ops.read(prefix + (await storageKey(key)), key, o)) !== undefined,
    );
  }

  /**
   * Deletes a key. Momento's DELETE does not say whether the key existed, so this reads it first.
   * @returns whether an unexpired value existed (`false` on error).
   */
  async delete(key: string): Promise<boolean> {
    const space = this.#space;
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
    const space = this.#space;
    const existed = await this.#batch(space, keys, false, async (key, prefix, o) =>
      this.#ops.remove(prefix + (await storageKey(key)), key, o),
    );
    return existed.length > 0 && existed.every(Boolean);
  }

  /**
   * Clears the current namespace, and only it: one write of a new namespace generation, seen at
   * once by every process sharing the cache (after `generationCacheMs`, or the near cache's
   * `ttlMs`, when those are set). Entries of the old generation become unreachable and expire by
   * their TTL.
   */
  async clear(): Promise<void> {
    const space = this.#space;
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
    this.#near?.clear();
  }

  /** The live near-cache record of `key`, if the near cache is on and holds one. Synchronous. */
  #nearHit(key: string): StoredRecord | undefined {
    if (this.#near === undefined || typeof key !== 'string') return undefined;
    const now = Date.now();
    const prefix = this.#space.freshPrefix(now);
    if (prefix === undefined) return undefined;
    const stored = storageKey(key);
    if (typeof stored !== 'string') return undefined; // a hashed long key: take the slow path
    const entry = this.#near.get(prefix + stored);
    if (entry === undefined || isExpired(entry, now)) return undefined;
    // A refresh that is skipped is not saved: the entry expires and the next reader makes the
    // same GET in the foreground. So the cap is only a safety bound against a stalled server,
    // far above `concurrency`: at `concurrency` itself, entries that came due together (filled
    // in one burst) mostly missed it and expired into foreground misses.
    if (now >= entry.refreshAt && this.#refreshing < this.#options.concurrency * REFRESH_SLOTS) {
      entry.refreshAt = Number.POSITIVE_INFINITY; // one refresh per entry
      this.#refresh(key);
    }
    return entry;
  }

  /**
   * Re-reads a hot near-cache entry before it expires (refresh-ahead): the read fills the near
   * cache as any read does. Nobody awaits it, so a failure is only emitted.
   */
  #refresh(key: string): void {
    const space = this.#space;
    this.#refreshing++;
    this.#deadline((o) => this.#read(space, key, o))
      .catch((error: unknown) => {
        this.emit('error', error);
      })
      .finally(() => {
        this.#refreshing--;
      });
  }

  async #get<Value>(key: string): Promise<Value | undefined> {
    const space = this.#space;
    try {
      const record = await this.#deadline((o) => this.#read(space, key, o));
      return record?.value as Value | undefined;
    } catch (error) {
      return this.#fail(error, undefined);
    }
  }

  #deadline<T>(fn: (options: CallOptions) => Promise<T>): Promise<T> {
    return this.#deadlines.run(fn);
  }

  async #read(space: Generations, key: string, o: CallOptions): Promise<StoredRecord | undefined> {
    const stored = await storageKey(key);
    return this.#ops.inGeneration(space, o, (prefix) => this.#ops.read(prefix + stored, key, o));
  }

  /** Validates and writes one entry under `space`'s generation, or under a batch's fixed prefix. */
  async #write(
    key: string,
    value: string,
    ttl: number | undefined,
    o: CallOptions,
    space: Generations | (() => string),
  ): Promise<void> {
    checkEntry(key, value, ttl);
    const stored = await storageKey(key);
    // Keyv 5 passes negative TTLs through; an already-expired entry must not be readable.
    const under = (fn: (prefix: string) => Promise<void>) =>
      typeof space === 'function' ? fn(space()) : this.#ops.inGeneration(space, o, fn);
    if (typeof ttl === 'number' && ttl <= 0) {
      return under((prefix) => this.#ops.delete(prefix + stored, o));
    }
    const finite = typeof ttl === 'number' && Number.isFinite(ttl);
    const deadline = finite ? Date.now() + ttl : undefined;
    const write = prepareWrite(
      value,
      deadline,
      toTtlSeconds(finite ? ttl : undefined, this.#options.ttl),
    );
    return under((prefix) => this.#ops.write(prefix + stored, write, o));
  }

  async #remove(space: Generations, key: string, o: CallOptions): Promise<boolean> {
    const stored = await storageKey(key);
    return this.#ops.inGeneration(space, o, (prefix) => this.#ops.remove(prefix + stored, key, o));
  }

  /** {@link runBatch} with this store's deadline; the first error is emitted once for the batch. */
  async #batch<T, R, F>(
    space: Generations,
    items: readonly T[],
    fallback: F,
    fn: (item: T, prefix: string, options: CallOptions) => Promise<R>,
  ): Promise<Array<R | F>> {
    const outcome = await runBatch(this.#batchContext, space, items, fallback, fn);
    if (outcome.failed) this.#fail(outcome.firstError, undefined);
    return outcome.results;
  }

  /** Emits the error; rethrows it with `throwOnErrors`, otherwise returns the neutral value. */
  #fail<F>(error: unknown, fallback: F): F {
    this.emit('error', error);
    if (this.#options.throwOnErrors) throw error;
    return fallback;
  }
}
