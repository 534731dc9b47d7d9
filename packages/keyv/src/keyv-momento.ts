import {
  type CacheStatsSnapshot,
  Deadline,
  type NamespaceGeneration,
  sharedAbortController,
  storeKey,
} from '@momento-http/core';
import { FirstError, Gate } from './batch';
import { DataTags } from './data-tags';
import { SafeEmitter } from './emitter';
import { ErrorRoute } from './error-route';
import { namingKeys } from './errors';
import { KeyOperations, userKeyOf } from './key-operations';
import {
  DEFAULT_NAMESPACE,
  type KeyvMomentoOptions,
  type NormalizedOptions,
  normalizeOptions,
} from './options';
import { CorruptRecordError, checkEntry, type StoredRecord } from './record';
import { buildStack, type StoreStack } from './stack';

/** One entry of {@link KeyvMomento.setMany} (Keyv 5 shape: relative `ttl` in ms). */
export interface KeyvMomentoEntry {
  key: string;
  value: string;
  ttl?: number | undefined;
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
  writeBehind: boolean;
  throwOnErrors: boolean;
  [key: string]: unknown;
}

/**
 * A Keyv storage adapter for Momento over its HTTP API.
 *
 * It implements the Keyv 5 contract (relative TTLs in ms) and works under Keyv 6 through Keyv's
 * bridge. Values are Keyv's serialized strings, stored in a checked core envelope with their
 * absolute deadline, so expiry is exact to the millisecond and a damaged value is a miss. Every
 * method catches its errors, emits `'error'` once (naming the user's key) and returns
 * `undefined`/`false` (set `throwOnErrors` to rethrow); each call has one deadline (`timeoutMs`)
 * shared by every request it makes.
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
  readonly #ops: KeyOperations;
  readonly #tags: DataTags;
  /** Aborted by disconnect(): releases every operation in flight. */
  #disconnect = sharedAbortController();
  #namespace: string | undefined;
  /** The current namespace's generation (looked up once per namespace change, not per call). */
  #space: NamespaceGeneration;
  /** `'error'` listeners, `onError`, or the default once-per-cause report. */
  readonly #errors: ErrorRoute;
  /** Write-behind writes still in flight (`writeBehind`): what `flush()` waits for. */
  readonly #behind = new Set<Promise<unknown>>();

  constructor(options: KeyvMomentoOptions = {}) {
    super();
    this.#options = normalizeOptions(options);
    this.#errors = new ErrorRoute(this, this.#options);
    this.#namespace = this.#options.namespace;
    this.#stack = buildStack(
      this.#options,
      (error, id) => this.#reportUnreadable(error, id),
      (error, operation) => this.#errors.report(error, operation),
    );
    const unavailable = this.#options.nearCache?.unavailable;
    if (unavailable) this.#errors.report(unavailable, 'coherence');
    this.#space = this.#stack.generation(this.#namespace ?? DEFAULT_NAMESPACE);
    this.#tags = new DataTags(this.#stack.store, {
      ...this.#options,
      maxTtlSeconds: this.#options.ttl.maxTtlSeconds,
      nearTtlMs: this.#options.nearCache?.ttlMs,
    });
    this.#ops = new KeyOperations(
      this.#stack,
      this.#options,
      {
        deadline: (operation) => this.#deadline(operation),
        report: (error, operation, keys) => this.#report(error, operation, keys),
        reportUnreadable: (error, id) => this.#reportUnreadable(error, id),
      },
      this.#tags,
    );
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
      writeBehind: o.writeBehind,
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
    this.#space = this.#stack.generation(this.#namespace ?? DEFAULT_NAMESPACE);
    this.opts.namespace = this.#namespace;
  }

  /** The Momento cache this store uses. */
  get cacheName(): string {
    return this.#options.cacheName;
  }

  /**
   * This store's figures since it was made: `get`, `has` and each key of `getMany`/`hasMany` is
   * one read (`hits`, `misses`, `nearHits` for answers from memory), `errors` swallowed, and
   * `bytesRead`/`bytesWritten` of stored values (envelopes included, keys not).
   */
  stats(): CacheStatsSnapshot {
    return this.#options.stats.snapshot();
  }

  /**
   * The value, or `undefined` when missing, expired or on error. A write of this key in flight
   * here answers at once, and so does a near-cache hit: no request, no timer, no decode.
   */
  get<Value = string>(key: string): Promise<Value | undefined> {
    const known = this.#ops.known(this.#space, key);
    if (known !== undefined) {
      this.#ops.countKnown(known);
      return Promise.resolve(known.record?.value as Value | undefined);
    }
    const space = this.#space;
    const deadline = this.#deadline('get');
    return deadline
      .race(this.#ops.read(space, key, deadline))
      .then((record) => this.#ops.countRead(record)?.value as Value | undefined)
      .catch((error: unknown) =>
        this.#fail(this.#ops.countRead(error, true), 'get', [key], undefined),
      );
  }

  /** The values in key order, `undefined` for misses. Known keys make no request. */
  async getMany<Value = string>(keys: string[]): Promise<Array<Value | undefined>> {
    const records = await this.#readMany(keys, 'getMany', undefined);
    return records.map((record) => record?.value as Value | undefined);
  }

  /**
   * Stores a value (one PUT, and the near cache updated). `ttl` is relative, in ms; none means
   * `defaultTtlMs`; `ttl <= 0` deletes (Keyv itself turns a `ttl` of 0 into "none" before the
   * store sees it: see the README).
   * @returns `true` when stored, `false` on error.
   */
  set(key: string, value: string, ttl?: number): Promise<boolean> {
    const deadline = this.#deadline('set');
    const writing = this.#ops.write(this.#space, key, value, ttl, deadline).then(
      () => true,
      (error: unknown) => this.#fail(error, 'set', [key], false),
    );
    return this.#behindOrAwait(writing, [{ key, value, ttl }]);
  }

  /**
   * {@link set} with tags: the value is a miss once one of `tags` is purged (`invalidateTags`
   * here, any `@momento-http` package's purge in the same tag namespace, the purge CLI or
   * webhook). `value` is what Keyv stores (its serialized string): through a Keyv instance use
   * the package's `setWithTags(keyv, key, value, { ttl, tags })`.
   * @returns `true` when stored, `false` on error.
   */
  setWithTags(
    key: string,
    value: string,
    options: { ttl?: number | undefined; tags: readonly string[] },
  ): Promise<boolean> {
    const deadline = this.#deadline('set');
    const writing = checkTags(options?.tags)
      .then((tags) =>
        this.#ops.write(this.#space, key, value, options.ttl, deadline, undefined, tags),
      )
      .then(
        () => true,
        (error: unknown) => this.#fail(error, 'set', [key], false),
      );
    return this.#behindOrAwait(writing, [{ key, value, ttl: options?.ttl }], {
      tags: options?.tags,
    });
  }

  /**
   * Purges `tags`: every value written with one of them (by any process, in this tag namespace)
   * is a miss from now on; here at once.
   * @returns `true` when recorded, `false` on error (then other processes may not see it).
   */
  invalidateTags(tags: readonly string[]): Promise<boolean> {
    const deadline = this.#deadline('invalidateTags');
    return checkTags(tags)
      .then((checked) => deadline.run((o) => this.#tags.invalidate(checked, o)))
      .then(
        () => true,
        (error: unknown) => this.#fail(error, 'invalidateTags', [], false),
      );
  }

  /**
   * Stores many values (at most `concurrency` requests at a time, one deadline for the batch).
   * Resolves to one boolean per entry (Keyv 5 passes them on; Keyv's adapter type says `void`).
   */
  setMany(entries: KeyvMomentoEntry[]): Promise<boolean[]> & Promise<void> {
    const space = this.#space;
    const deadline = this.#deadline('setMany');
    const gate = new Gate(this.#options.concurrency);
    const first = new FirstError();
    const writes = entries.map((entry) =>
      this.#ops.write(space, entry.key, entry.value, entry.ttl, deadline, gate).then(
        () => true,
        (error: unknown) => first.keep(error, false),
      ),
    );
    const all = Promise.all(writes).then((results) => {
      if (first.failed) this.#fail(first.error, 'setMany', keysOf(entries), undefined);
      return results;
    });
    const stored = entries.map(() => true);
    return this.#behindOrAwait(all, entries).then((done) =>
      done === true ? stored : done,
    ) as Promise<boolean[]> & Promise<void>;
  }

  /** Whether the key holds an unexpired value (known here, or one GET). */
  has(key: string): Promise<boolean> {
    const known = this.#ops.known(this.#space, key);
    if (known !== undefined) {
      this.#ops.countKnown(known);
      return Promise.resolve(known.record !== undefined);
    }
    const deadline = this.#deadline('has');
    return deadline
      .race(this.#ops.read(this.#space, key, deadline))
      .then((record) => this.#ops.countRead(record) !== undefined)
      .catch((error: unknown) => this.#fail(this.#ops.countRead(error, true), 'has', [key], false));
  }

  /** {@link has} for many keys, in order. */
  async hasMany(keys: string[]): Promise<boolean[]> {
    const records = await this.#readMany(keys, 'hasMany', false);
    return records.map((record) => record !== undefined && record !== false);
  }

  /**
   * Deletes a key. Momento's DELETE does not say whether the key existed, so this reads it first.
   * @returns whether an unexpired value existed (`false` on error).
   */
  delete(key: string): Promise<boolean> {
    const deadline = this.#deadline('delete');
    return this.#ops
      .remove(this.#space, key, deadline)
      .catch((error: unknown) => this.#fail(error, 'delete', [key], false));
  }

  /** Deletes many keys. Keyv 5's contract is one boolean: `true` when every key existed. */
  async deleteMany(keys: string[]): Promise<boolean> {
    const space = this.#space;
    const deadline = this.#deadline('deleteMany');
    const gate = new Gate(this.#options.concurrency);
    const first = new FirstError();
    const existed = await Promise.all(
      keys.map((key) =>
        this.#ops
          .remove(space, key, deadline, gate)
          .catch((error: unknown) => first.keep(error, false)),
      ),
    );
    if (first.failed) this.#fail(first.error, 'deleteMany', keys, undefined);
    return existed.length > 0 && existed.every(Boolean);
  }

  /**
   * Clears the current namespace, and only it: one write of a new namespace generation, seen at
   * once by every process sharing the cache (after `generationCacheMs`, or the near cache's
   * `ttlMs`, when those are set). Entries of the old generation become unreachable and expire by
   * their TTL. The only operation that ever writes a new generation.
   */
  async clear(): Promise<void> {
    const space = this.#space;
    this.#ops.forgetPending(space);
    const deadline = this.#deadline('clear');
    try {
      await deadline.run((o) => space.clear(o));
    } catch (error) {
      this.#fail(error, 'clear', [], undefined);
    } finally {
      // The generation may have changed either way: other processes re-read it.
      if (this.#space === space) this.#stack.announceClear();
    }
  }

  /**
   * Resolves once every write-behind write made so far has landed or failed (failures are
   * reported, not thrown). Without `writeBehind` there is nothing to wait for.
   */
  async flush(): Promise<void> {
    while (this.#behind.size > 0) await Promise.all(this.#behind);
  }

  /**
   * With `writeBehind`, answers `true` at once and keeps `writing` in the background (bounded);
   * otherwise, for input the store refuses, or when too many writes wait already: `writing`.
   * The write itself is already recorded (reads here see it) whichever is returned.
   */
  #behindOrAwait<T>(
    writing: Promise<T>,
    entries: ReadonlyArray<{ key: string; value: unknown; ttl?: unknown }>,
    tagged?: { tags: unknown },
  ): Promise<T | true> {
    if (
      !this.#options.writeBehind ||
      this.#behind.size >= this.#options.concurrency * WRITE_BEHIND_SLOTS ||
      !acceptable(entries, tagged)
    ) {
      return writing;
    }
    // Failures were reported by #fail; with throwOnErrors there is no caller left to rethrow to.
    const settled = writing.then(
      () => undefined,
      () => undefined,
    );
    this.#behind.add(settled);
    void settled.then(() => this.#behind.delete(settled));
    return Promise.resolve(true);
  }

  /**
   * Releases the calls in flight (they fail with an error, as on a timeout), empties the near
   * cache and ends its coherence subscription (which otherwise keeps a process on the `fetch`
   * transport running). There is no connection to close (HTTP), so the store remains usable
   * afterwards (and subscribes again on its next call).
   */
  async disconnect(): Promise<void> {
    // Write-behind writes are not dropped: they land (or fail, reported) first.
    await this.flush();
    const released = this.#disconnect;
    this.#disconnect = sharedAbortController();
    released.abort(new Error('KeyvMomento: disconnected'));
    this.#stack.close();
  }

  /** {@link KeyOperations.readMany} under one deadline, its first failure reported once. */
  async #readMany<F>(
    keys: string[],
    operation: string,
    fallback: F,
  ): Promise<Array<StoredRecord | undefined | F>> {
    const space = this.#space;
    const { results, failure } = await this.#ops.readMany(
      space,
      keys,
      this.#deadline(operation),
      fallback,
    );
    if (failure.failed) this.#fail(failure.error, operation, keys, undefined);
    return results;
  }

  #deadline(operation: string): Deadline {
    this.#stack.follow(this.#namespace ?? DEFAULT_NAMESPACE);
    return new Deadline(this.#options.timeoutMs, {
      signal: this.#disconnect.signal,
      // Released at once on disconnect; the calls end within the time left (see signalCalls).
      signalCalls: false,
      operation: `KeyvMomento ${operation}`,
    });
  }

  /** A value, chunk or generation the stack read as a miss: reported, naming the key when known. */
  #reportUnreadable(error: unknown, id: string | undefined): void {
    if (id === undefined || error instanceof CorruptRecordError) {
      this.#errors.report(error, 'read');
      return;
    }
    const key = userKeyOf(this.#space, id);
    const reason = error instanceof Error ? error.message : String(error);
    this.#errors.report(new CorruptRecordError(key, reason, { cause: error }), 'read');
  }

  /** Emits the error, naming the user's key(s) (and reports it when nothing heard it). */
  #report(error: unknown, operation: string, keys: readonly string[]): unknown {
    const named = namingKeys(error, operation, keys);
    this.#errors.report(named, operation);
    return named;
  }

  /** Emits the error once; rethrows it with `throwOnErrors`, otherwise returns the neutral value. */
  #fail<F>(error: unknown, operation: string, keys: readonly string[], fallback: F): F {
    const named = this.#report(error, operation, keys);
    if (this.#options.throwOnErrors) throw named;
    return fallback;
  }
}

/** Tags must be a non-empty list of non-empty strings: anything else is a caller's mistake. */
function checkTags(tags: unknown): Promise<string[]> {
  if (!validTags(tags)) {
    return Promise.reject(new TypeError('KeyvMomento: tags must be an array of non-empty strings'));
  }
  return Promise.resolve(tags);
}

function validTags(tags: unknown): tags is string[] {
  return Array.isArray(tags) && tags.every((tag) => typeof tag === 'string' && tag.length > 0);
}

/**
 * Whether the store accepts these writes as input (key, value, TTL, tags): a write-behind answer
 * of `true` must never hide a caller's mistake, which fails at once instead.
 */
function acceptable(
  entries: ReadonlyArray<{ key: string; value: unknown; ttl?: unknown }>,
  tagged: { tags: unknown } | undefined,
): boolean {
  if (tagged && !validTags(tagged.tags)) return false;
  try {
    for (const { key, value, ttl } of entries) {
      if (typeof key !== 'string') return false;
      checkEntry(key, value, ttl);
      storeKey(key);
    }
    return true;
  } catch {
    return false;
  }
}

/** Write-behind writes at most in flight, per unit of `concurrency`. */
const WRITE_BEHIND_SLOTS = 16;

function keysOf(entries: readonly KeyvMomentoEntry[]): string[] {
  return entries.map((entry) => entry.key);
}
