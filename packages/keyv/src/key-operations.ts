import {
  type Deadline,
  type NamespaceGeneration,
  NamespaceGenerationError,
  storeKey,
  toTtlSeconds,
  WriteLedger,
} from '@momento-http/core';
import { FirstError, Gate } from './batch';
import type { DataTags } from './data-tags';
import type { NormalizedOptions } from './options';
import { checkEntry, encodeRecord, isExpired, readRecord, type StoredRecord } from './record';
import type { NearRecord, StoreStack } from './stack';

/** Background near-cache refreshes allowed in flight, per unit of `concurrency`. */
const REFRESH_SLOTS = 16;

/** What this process already knows about a key: a write in flight or a near-cache hit. */
export interface Known {
  record: StoredRecord | undefined;
}

/** What the operations need from the store that runs them. */
export interface OperationHooks {
  /** A new deadline for one user-level operation. */
  deadline(operation: string): Deadline;
  /** Reports a failure nobody awaits (a background refresh), naming the user's key. */
  report(error: unknown, operation: string, keys: readonly string[]): void;
  /** Reports a value that is there but unreadable (see {@link userKeyOf}). */
  reportUnreadable(error: unknown, id: string): void;
}

/**
 * One key's read, write and delete on the engine: what this process knows first (a write in
 * flight, then the near cache), else the store under the namespace's generation, each within the
 * operation's one deadline. Writes register as pending before any await (read-your-writes).
 */
export class KeyOperations {
  readonly #stack: StoreStack;
  readonly #options: NormalizedOptions;
  readonly #hooks: OperationHooks;
  /** Writes in flight by namespace generation and user key: read-your-writes from the first moment. */
  readonly #ledgers = new WeakMap<NamespaceGeneration, WriteLedger<StoredRecord>>();
  /** Background refreshes of near-cache entries in flight. */
  #refreshing = 0;

  readonly #tags: DataTags;

  constructor(
    stack: StoreStack,
    options: NormalizedOptions,
    hooks: OperationHooks,
    tags: DataTags,
  ) {
    this.#stack = stack;
    this.#options = options;
    this.#hooks = hooks;
    this.#tags = tags;
  }

  /** Forgets the writes in flight in `space`: they belong to the generation a clear drops. */
  forgetPending(space: NamespaceGeneration): void {
    this.#ledgers.delete(space);
  }

  /**
   * What this process already knows about `key`, synchronously: a write of it in flight (the
   * value, or a delete), else a live near-cache hit under a fresh generation. `undefined`: ask the
   * store.
   */
  known(space: NamespaceGeneration, key: string): Known | undefined {
    if (typeof key !== 'string') return undefined;
    const pending = this.#ledgers.get(space)?.pending(key);
    if (pending?.kind === 'set') {
      if (isExpired(pending.value)) return { record: undefined };
      return this.#ifTagsAllow(pending.value);
    }
    if (pending?.kind === 'delete') return { record: undefined };
    if (!this.#stack.nearCache) return undefined;
    const prefix = space.freshPrefix();
    const id = prefix === undefined ? undefined : nearIdOf(prefix, key);
    const hit = id === undefined ? undefined : this.#stack.entries.peek(id);
    if (hit?.entry === undefined || isExpired(hit.entry)) return undefined;
    if (hit.source === 'near') this.#refreshAhead(key, id!, hit.entry);
    return this.#ifTagsAllow(hit.entry);
  }

  /** A known record checked against its tags from memory; `undefined` when they must be read. */
  #ifTagsAllow(record: StoredRecord): Known | undefined {
    const usable = this.#tags.peek(record);
    if (usable === undefined) return undefined;
    return { record: usable ? record : undefined };
  }

  /** `entry` unless expired or purged by one of its tags (read within the same deadline). */
  async #live(
    entry: StoredRecord | undefined,
    o: ReturnType<Deadline['callOptions']>,
  ): Promise<StoredRecord | undefined> {
    if (entry === undefined || isExpired(entry)) return undefined;
    return (await this.#tags.usable(entry, o)) ? entry : undefined;
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
    const deadline = this.#hooks.deadline('refresh');
    deadline
      .race(this.#stack.entries.readStore(id, deadline.callOptions()))
      .catch((error: unknown) => this.#hooks.report(error, 'refresh', [key]))
      .finally(() => {
        this.#refreshing--;
      });
  }

  /** Counts a user-level read answered from what this process knows (a near hit, or a miss). */
  countKnown(known: Known): void {
    this.#options.stats.recordRead(
      known.record === undefined ? undefined : { entry: known.record, source: 'near' },
    );
  }

  /**
   * Counts a user-level read the store answered (`failed`: it failed, a miss) and returns what
   * it was given, so a call chain stays one expression.
   */
  countRead<T>(outcome: T, failed = false): T {
    const entry = failed ? undefined : outcome;
    this.#options.stats.recordRead(entry === undefined ? undefined : { entry, source: 'store' });
    return outcome;
  }

  /** One key's record from the store, under the namespace's generation (confirmed in parallel). */
  read(
    space: NamespaceGeneration,
    key: string,
    deadline: Deadline,
  ): Promise<StoredRecord | undefined> {
    return space.run(
      deadline.callOptions(),
      async (prefix) => {
        const { entry } = await this.#stack.entries.read(idOf(prefix, key), deadline.callOptions());
        return this.#live(entry, deadline.callOptions());
      },
      () => {
        throw unreadableGeneration(space, 'read', key);
      },
    );
  }

  /**
   * Many keys' records under one deadline and one generation check (in parallel with the first
   * requests); known keys make no request. Failed items give `fallback`; the first failure is
   * returned for the caller to report once.
   */
  async readMany<F>(
    space: NamespaceGeneration,
    keys: string[],
    deadline: Deadline,
    fallback: F,
  ): Promise<{ results: Array<StoredRecord | undefined | F>; failure: FirstError }> {
    const results = new Array<StoredRecord | undefined | F>(keys.length);
    const missing: number[] = [];
    keys.forEach((key, i) => {
      const known = this.known(space, key);
      if (known === undefined) missing.push(i);
      else {
        this.countKnown(known);
        results[i] = known.record;
      }
    });
    const first = new FirstError();
    if (missing.length === 0) return { results, failure: first };
    const counted = () => {
      for (const i of missing) {
        const found = results[i];
        this.countRead(found === fallback ? undefined : (found ?? undefined));
      }
    };
    const gate = new Gate(this.#options.concurrency);
    const readAll = (prefix: string) =>
      Promise.all(
        missing.map((i) =>
          gate
            .run(() => this.#stack.entries.read(idOf(prefix, keys[i]!), deadline.callOptions()))
            .then(({ entry }) => this.#live(entry, deadline.callOptions()))
            .catch((error: unknown) => first.keep(error, fallback)),
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
    } catch (error) {
      for (const i of missing) results[i] = fallback;
      first.keep(error, undefined);
    }
    counted();
    return { results, failure: first };
  }

  /**
   * Writes one entry (or deletes it for `ttl <= 0`). Reads of `key` here see it from this very
   * moment (before any await), so a write the caller does not await is still read back: what
   * cache-manager's refresh does.
   */
  write(
    space: NamespaceGeneration,
    key: string,
    value: string,
    ttl: number | undefined,
    deadline: Deadline,
    gate?: Gate,
    tags?: readonly string[],
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
    const now = Date.now();
    const tagged = tags?.length ? { tags: [...tags], createdAt: now } : undefined;
    const record = this.#stack.near({
      value,
      deadline: finite ? now + ttl : undefined,
      ...tagged,
    });
    const ttlSeconds = toTtlSeconds(finite ? ttl : undefined, this.#options.ttl);
    const encoded = encodeRecord(value, record.deadline, tagged);
    return this.#track(space, key, { kind: 'set', value: record }, deadline, gate, async (prefix) =>
      this.#stack.entries.set(idOf(prefix, key), record, await encoded, {
        ...deadline.callOptions(),
        ttlSeconds,
      }),
    );
  }

  /** Deletes `key` and says whether it held a live value (known here, or read first). */
  remove(
    space: NamespaceGeneration,
    key: string,
    deadline: Deadline,
    gate?: Gate,
  ): Promise<boolean> {
    const known = this.known(space, key);
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
      this.#hooks.reportUnreadable(error, id);
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
}

/** The id of `key` under a generation's prefix (long keys hashed by core's storeKey). */
function idOf(prefix: string, key: string): string {
  return prefix + storeKey(key);
}

/** {@link idOf}, or `undefined` for a key it refuses (then the read path reports why). */
function nearIdOf(prefix: string, key: string): string | undefined {
  try {
    return idOf(prefix, key);
  } catch {
    return undefined;
  }
}

/** The user's key an id was made from, as far as it can be told (a long key shows its digest). */
export function userKeyOf(space: NamespaceGeneration, id: string): string {
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
