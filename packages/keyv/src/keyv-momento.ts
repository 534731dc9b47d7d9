import {
  Deadline,
  NamespaceGeneration,
  NamespaceGenerationError,
  storeKey,
  toTtlSeconds,
  WriteLedger,
} from '@momento-http/core';
import { FirstError, Gate } from './batch';
import { SafeEmitter } from './emitter';
import { namingKeys } from './errors';
import {
  DEFAULT_NAMESPACE,
  type KeyvMomentoOptions,
  type NormalizedOptions,
  normalizeOptions,
} from './options';
import {
  CorruptRecordError,
  checkEntry,
  encodeRecord,
  isExpired,
  readRecord,
  type StoredRecord,
} from './record';
import { buildStack, type NearRecord, type StoreStack } from './stack';

/** Background near-cache refreshes allowed in flight, per unit of `concurrency`. */
const REFRESH_SLOTS = 16;

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
  throwOnErrors: boolean;
  [key: string]: unknown;
}

/** What this process already knows about a key: a write in flight or a near-cache hit. */
interface Known {
  record: StoredRecord | undefined;
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
  /** Writes in flight by namespace generation and user key: read-your-writes from the first moment. */
  readonly #ledgers = new WeakMap<NamespaceGeneration, WriteLedger<StoredRecord>>();
  /** Aborted by disconnect(): releases every operation in flight. */
  #disconnect = new AbortController();
  #namespace: string | undefined;
  /** Background refreshes of near-cache entries in flight. */
  #refreshing = 0;
  /** The current namespace's generation (looked up once per namespace change, not per call). */
  #space: NamespaceGeneration;

  constructor(options: KeyvMomentoOptions = {}) {
    super();
    this.#options = normalizeOptions(options);
    this.#namespace = this.#options.namespace;
    this.#stack = buildStack(this.#options, (error, id) => this.#reportUnreadable(error, id));
    this.#space = this.#stack.generation(this.#namespace ?? DEFAULT_NAMESPACE);
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
    this.#space = this.#stack.generation(this.#namespace ?? DEFAULT_NAMESPACE);
    this.opts.namespace = this.#namespace;
  }

  /** The Momento cache this store uses. */
  get cacheName(): string {
    return this.#options.cacheName;
  }

  /**
   * The value, or `undefined` when missing, expired or on error. A write of this key in flight
   * here answers at once, and so does a near-cache hit: no request, no timer, no decode.
   */
  get<Value = string>(key: string): Promise<Value | undefined> {
    const known = this.#known(key);
    if (known !== undefined) return Promise.resolve(known.record?.value as Value | undefined);
    const space = this.#space;
    const deadline = this.#deadline('get');
    return deadline
      .race(this.#read(space, key, deadline))
      .then((record) => record?.value as Value | undefined)
      .catch((error: unknown) => this.#fail(error, 'get', [key], undefined));
  }

  /** The values in key order, `undefined` for misses. Known keys make no request. */
  async getMany<Value = string>(keys: string[]): Promise<Array<Value | undefined>> {
    const records = await this.#readMany(keys, 'getMany');
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
    return this.#write(this.#space, key, value, ttl, deadline).then(
      () => true,
      (error: unknown) => this.#fail(error, 'set', [key], false),
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
      this.#write(space, entry.key, entry.value, entry.ttl, deadline, gate).then(
        () => true,
        (error: unknown) => first.keep(error, false),
      ),
    );
    return Promise.all(writes).then((results) => {
      if (first.failed) this.#fail(first.error, 'setMany', keysOf(entries), undefined);
      return results;
    }) as Promise<boolean[]> & Promise<void>;
  }

  /** Whether the key holds an unexpired value (known here, or one GET). */
  has(key: string): Promise<boolean> {
    const known = this.#known(key);
    if (known !== undefined) return Promise.resolve(known.record !== undefined);
    const deadline = this.#deadline('has');
    return deadline
      .race(this.#read(this.#space, key, deadline))
      .then((record) => record !== undefined)
      .catch((error: unknown) => this.#fail(error, 'has', [key], false));
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
    return this.#remove(this.#space, key, deadline).catch((error: unknown) =>
      this.#fail(error, 'delete', [key], false),
    );
  }

  /** Deletes many keys. Keyv 5's contract is one boolean: `true` when every key existed. */
  async deleteMany(keys: string[]): Promise<boolean> {
    const space = this.#space;
    const deadline = this.#deadline('deleteMany');
    const gate = new Gate(this.#options.concurrency);
    const first = new FirstError();
    const existed = await Promise.all(
      keys.map((key) =>
        this.#remove(space, key, deadline, gate).catch((error: unknown) =>
          first.keep(error, false),
        ),
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
    this.#ledgers.delete(space); // writes in flight belong to the generation being dropped
    const deadline = this.#deadline('clear');
    try {
      await deadline.run((o) => space.clear(o));
    } catch (error) {
      this.#fail(error, 'clear', [], undefined);
    }
  }

  /**
   * Releases the calls in flight (they fail with an error, as on a timeout) and empties the near
   * cache. There is no connection to close (HTTP), so the store remains usable afterwards.
   */
  async disconnect(): Promise<void> {
    const released = this.#disconnect;
    this.#disconnect = new AbortController();
    released.abort(new Error('KeyvMomento: disconnected'));
    this.#stack.entries.near?.clear();
  }

  /**
   * What this process already knows about `key`, synchronously: a write of it in flight (the
   * value, or a delete), else a live near-cache hit under a fresh generation. `undefined`: ask the
   * store.
   */
  #known(key: string): Known | undefined {
    if (typeof key !== 'string') return undefined;
    const space = this.#space;
    const pending = this.#ledgers.get(space)?.pending(key);
    if (pending?.kind === 'set') {
      return { record: isExpired(pending.value) ? undefined : pending.value };
    }
    if (pending?.kind === 'delete') return { record: undefined };
    if (!this.#stack.nearCache) return undefined;
    const prefix = space.freshPrefix();
    const id = prefix === undefined ? undefined : idOf(prefix, key);
    const hit = id === undefined ? undefined : this.#stack.entries.peek(id);
    if (hit?.entry === undefined || isExpired(hit.entry)) return undefined;
    if (hit.source === 'near') this.#refreshAhead(key, id!, hit.entry);
    return { record: hit.entry };
  }

  /**
   * Re-reads a hot near-cache entry before it expires (refresh-ahead): the read fills the near
   * cache as any read does. Nobody awaits it, so a failure is only emitted. A refresh that is
   * skipped (too many in flight) is not saved: the entry expires and the next reader makes the
   * same GET in the foreground, so the cap is only a safety bound against a stalled server.
   */
  #refreshAhead(key: string, id: string, entry: NearRecord): void {
    const now = Date.now();
    if (now < entry.refreshAt) return;
    if (this.#refreshing >= this.#options.concurrency * REFRESH_SLOTS) return;
    entry.refreshAt = Number.POSITIVE_INFINITY; // one refresh per entry
    this.#refreshing++;
    const deadline = this.#deadline('refresh');
    deadline
      .race(this.#stack.entries.readStore(id, deadline.callOptions()))
      .catch((error: unknown) => this.#report(error, 'refresh', [key]))
      .finally(() => {
        this.#refreshing--;
      });
  }

  /** One key's record from the store, under the namespace's generation (confirmed in parallel). */
  #read(
    space: NamespaceGeneration,
    key: string,
    deadline: Deadline,
  ): Promise<StoredRecord | undefined> {
    return space.run(
      deadline.callOptions(),
      async (prefix) => {
        const { entry } = await this.#stack.entries.read(idOf(prefix, key), deadline.callOptions());
        return entry === undefined || isExpired(entry) ? undefined : entry;
      },
      () => {
        throw unreadableGeneration(space, 'read', key);
      },
    );
  }

  /**
   * Many keys' records under one deadline and one generation check (in parallel with the first
   * requests); known keys make no request. Item failures give `fallback`, reported once.
   */
  async #readMany<F = undefined>(
    keys: string[],
    operation: string,
    fallback?: F,
  ): Promise<Array<StoredRecord | undefined | F>> {
    const space = this.#space;
    const results = new Array<StoredRecord | undefined | F>(keys.length);
    const missing: number[] = [];
    keys.forEach((key, i) => {
      const known = this.#known(key);
      if (known === undefined) missing.push(i);
      else results[i] = known.record;
    });
    if (missing.length === 0) return results;
    const deadline = this.#deadline(operation);
    const gate = new Gate(this.#options.concurrency);
    const first = new FirstError();
    const readAll = (prefix: string) =>
      Promise.all(
        missing.map((i) =>
          gate
            .run(() => this.#stack.entries.read(idOf(prefix, keys[i]!), deadline.callOptions()))
            .then(({ entry }) => (entry === undefined || isExpired(entry) ? undefined : entry))
            .catch((error: unknown) => first.keep(error, fallback as F)),
        ),
      );
    try {
      const found = await deadline.race(
        space.run(deadline.callOptions(), readAll, () => {
          throw unreadableGeneration(space, 'read', keys[missing[0]!]!);
        }),
      );
      missing.forEach((i, j) => {
        results[i] = found[j];
      });
      if (first.failed) this.#fail(first.error, operation, keys, undefined);
    } catch (error) {
      for (const i of missing) results[i] = fallback as F;
      this.#fail(error, operation, keys, undefined);
    }
    return results;
  }

  /**
   * Writes one entry (or deletes it for `ttl <= 0`). Reads of `key` here see it from this very
   * moment (before any await), so a write the caller does not await is still read back: what
   * cache-manager's refresh does.
   */
  #write(
    space: NamespaceGeneration,
    key: string,
    value: string,
    ttl: number | undefined,
    deadline: Deadline,
    gate?: Gate,
  ): Promise<void> {
    try {
      checkEntry(key, value, ttl);
    } catch (error) {
      return Promise.reject(error);
    }
    // Keyv 5 passes negative TTLs through; an already-expired entry must not be readable.
    if (typeof ttl === 'number' && ttl <= 0) {
      return this.#track(space, key, { kind: 'delete' }, deadline, gate, (prefix, o) =>
        this.#stack.entries.delete(idOf(prefix, key), o),
      );
    }
    const finite = typeof ttl === 'number' && Number.isFinite(ttl);
    const record = this.#stack.near({ value, deadline: finite ? Date.now() + ttl : undefined });
    const ttlSeconds = toTtlSeconds(finite ? ttl : undefined, this.#options.ttl);
    const encoded = encodeRecord(value, record.deadline);
    return this.#track(space, key, { kind: 'set', value: record }, deadline, gate, async (prefix) =>
      this.#stack.entries.set(idOf(prefix, key), record, await encoded, {
        ...deadline.callOptions(),
        ttlSeconds,
      }),
    );
  }

  /** Deletes `key` and says whether it held a live value (known here, or read first). */
  #remove(
    space: NamespaceGeneration,
    key: string,
    deadline: Deadline,
    gate?: Gate,
  ): Promise<boolean> {
    const known = this.#known(key);
    let existed = known !== undefined && known.record !== undefined;
    return this.#track(space, key, { kind: 'delete' }, deadline, gate, async (prefix, o) => {
      const id = idOf(prefix, key);
      // A GET, then the DELETE (in that order: a DELETE racing the GET could hide the value).
      if (known === undefined) existed = await this.#holdsValue(id, o);
      await this.#stack.entries.delete(id, deadline.callOptions());
    }).then(() => existed);
  }

  /**
   * Whether `id` holds a live value in the store. An unreadable one counts (it is there, and
   * being removed), and is reported.
   */
  async #holdsValue(id: string, o: ReturnType<Deadline['callOptions']>): Promise<boolean> {
    const bytes = await this.#stack.store.get(id, o);
    if (bytes === undefined) return false;
    try {
      return !isExpired(await readRecord(bytes));
    } catch (error) {
      this.#reportUnreadable(error, id);
      return true;
    }
  }

  /**
   * Records a write of `key` as pending (synchronously), then runs it under the namespace's
   * generation within `deadline`. A generation that cannot be read refuses the write.
   */
  #track(
    space: NamespaceGeneration,
    key: string,
    intent: { kind: 'set'; value: StoredRecord } | { kind: 'delete' },
    deadline: Deadline,
    gate: Gate | undefined,
    write: (prefix: string, o: ReturnType<Deadline['callOptions']>) => Promise<void>,
  ): Promise<void> {
    let ledger = this.#ledgers.get(space);
    if (!ledger) {
      ledger = new WriteLedger<StoredRecord>();
      this.#ledgers.set(space, ledger);
    }
    const run = () =>
      space.run(
        deadline.callOptions(),
        (prefix) => write(prefix, deadline.callOptions()),
        () => {
          throw unreadableGeneration(space, 'written', key);
        },
      );
    return ledger.track(key, intent, () => deadline.race(gate ? gate.run(run) : run()));
  }

  #deadline(operation: string): Deadline {
    return new Deadline(this.#options.timeoutMs, {
      signal: this.#disconnect.signal,
      operation: `KeyvMomento ${operation}`,
    });
  }

  /** A value, chunk or generation the stack read as a miss: reported, naming the key when known. */
  #reportUnreadable(error: unknown, id: string | undefined): void {
    if (id === undefined || error instanceof CorruptRecordError) {
      this.emit('error', error);
      return;
    }
    const key = userKeyOf(this.#space, id);
    const reason = error instanceof Error ? error.message : String(error);
    this.emit('error', new CorruptRecordError(key, reason, { cause: error }));
  }

  /** Emits the error, naming the user's key(s). */
  #report(error: unknown, operation: string, keys: readonly string[]): unknown {
    const named = namingKeys(error, operation, keys);
    this.emit('error', named);
    return named;
  }

  /** Emits the error once; rethrows it with `throwOnErrors`, otherwise returns the neutral value. */
  #fail<F>(error: unknown, operation: string, keys: readonly string[], fallback: F): F {
    const named = this.#report(error, operation, keys);
    if (this.#options.throwOnErrors) throw named;
    return fallback;
  }
}

/** The id of `key` under a generation's prefix (long keys hashed by core's storeKey). */
function idOf(prefix: string, key: string): string {
  return prefix + storeKey(key);
}

/** The user's key an id was made from, as far as it can be told (a long key shows its digest). */
function userKeyOf(space: NamespaceGeneration, id: string): string {
  const prefix = space.knownPrefix();
  const stored = prefix !== undefined && id.startsWith(prefix) ? id.slice(prefix.length) : id;
  return stored.startsWith('\u0000\u0000') ? stored.slice(1) : stored;
}

function unreadableGeneration(
  space: NamespaceGeneration,
  what: 'read' | 'written',
  key: string,
): NamespaceGenerationError {
  return new NamespaceGenerationError(
    space.namespace,
    `KeyvMomento: "${key}" was not ${what === 'read' ? 'read (a miss)' : 'written'}: the generation of namespace "${space.namespace}" is unreadable (only clear() replaces it)`,
  );
}

function keysOf(entries: readonly KeyvMomentoEntry[]): string[] {
  return entries.map((entry) => entry.key);
}
