import {
  CircuitBreaker,
  Deadline,
  EntryCache,
  FencedNearCache,
  type SetOptions,
  SingleFlight,
  storeKey,
  TaggedEntryReader,
} from '@momento-http/core';
import { isObservable } from 'rxjs';
import type { MomentoCacheContext } from './context';
import { decodeMethodEntry, encodeMethodEntry, type MethodEntry } from './method-entry';

/** What one decorated call caches: resolved from the decorator's options and the call's arguments. */
export interface MethodCachePlan {
  key: string;
  /** TTL in ms; `undefined` or 0: the module's `ttl`, then `defaultTtlSeconds`. */
  ttlMs: number | undefined;
  tags: string[];
}

/** What one `@CacheInvalidate` call removes. */
export interface MethodEvictionPlan {
  keys: string[];
  tags: string[];
}

/** An entry past its own expiry (Momento keeps it up to a second longer) is a quiet miss. */
const isLive = (entry: MethodEntry) => entry.expiresAt > Date.now();

/**
 * The engine behind `@Cacheable`, `@CachePut` and `@CacheInvalidate`, composed like the response
 * cache: an `EntryCache` of decoded entries (near cache when on, read-your-writes), the module's
 * `TagStates` (the same tag keys `@CacheTags` responses use), one `TaggedEntryReader`, one
 * `CircuitBreaker`, and one `SingleFlight` so concurrent calls for one key run the method once.
 * Each cache operation of a call is one `Deadline` of `timeoutMs`; a failing or hung cache is a
 * reported miss, never the method's failure.
 */
export class MethodCache {
  readonly #context: MomentoCacheContext;
  readonly #entries: EntryCache<MethodEntry>;
  readonly #reader: TaggedEntryReader<MethodEntry>;
  readonly #breaker = new CircuitBreaker();
  readonly #flights = new SingleFlight<unknown>();
  readonly #keyPrefix: string;

  constructor(context: MomentoCacheContext) {
    this.#context = context;
    const { options } = context;
    this.#keyPrefix = `${options.namespace}:method:`;
    const near = options.nearCache && new FencedNearCache<MethodEntry>(options.nearCache);
    this.#entries = new EntryCache<MethodEntry>({
      store: context.store,
      decode: async (bytes) => {
        const entry = await decodeMethodEntry(bytes);
        return isLive(entry) ? entry : undefined;
      },
      near: near || undefined,
      nearLife: (entry) => ({ ttlMs: entry.expiresAt - Date.now() }),
      onError: (error, _operation, id) => context.report(error, 'decode', id),
    });
    this.#reader = new TaggedEntryReader<MethodEntry>({
      entries: this.#entries,
      tags: context.tags,
      tagsOf: (entry) => entry.tags,
      createdAt: (entry) => entry.storedAt,
      breaker: this.#breaker,
      onError: (error, operation) =>
        context.report(error, operation === 'read' ? 'get' : operation),
    });
  }

  /** True once the app shuts down: decorated methods then run uncached. */
  get closed(): boolean {
    return this.#context.closed;
  }

  /** Reports a failure the way every other part of the module does (`onError` or one warning). */
  report(error: unknown, operation: string, key?: string): void {
    this.#context.report(error, operation, key);
  }

  /** The store key of a method cache key: the namespace, then core's `storeKey`. */
  idOf(key: string): string {
    return this.#keyPrefix + storeKey(key);
  }

  /**
   * `@Cacheable`: the stored value of `plan.key`, or `run()`'s result, stored. Concurrent calls
   * for one key in this process share one read and one `run()`. `run()`'s errors reject (and are
   * not stored); the cache's never do.
   */
  async cacheable(plan: MethodCachePlan, run: () => unknown): Promise<unknown> {
    const id = this.idOf(plan.key);
    const stats = this.#context.responseStats;
    // A near-cache hit (or this process's write in flight) answers without a timer or a decode.
    const known = this.#reader.peek(id, { usable: isLive });
    if (known) {
      stats.recordRead(known);
      return known.entry.value;
    }
    return this.#flights.run(id, async () => {
      const deadline = new Deadline(this.#context.options.timeoutMs, { operation: '@Cacheable' });
      const found = await this.#reader.read(id, { deadline }, { usable: isLive });
      stats.recordRead(found);
      if (found) return found.entry.value;
      const startedAt = Date.now();
      const value = await run();
      this.#save(id, plan, value, startedAt);
      return value;
    });
  }

  /** `@CachePut`: runs the method and stores its result (reads in this process see it at once). */
  async put(plan: MethodCachePlan, run: () => unknown): Promise<unknown> {
    const startedAt = Date.now();
    const value = await run();
    this.#save(this.idOf(plan.key), plan, value, startedAt);
    return value;
  }

  /**
   * `@CacheInvalidate`: deletes `keys` and invalidates `tags` within one deadline. Never rejects:
   * failures are reported (the method already ran).
   */
  async evict(plan: MethodEvictionPlan): Promise<void> {
    const { keys, tags } = plan;
    if (!keys.length && !tags.length) return;
    const context = this.#context;
    const deadline = new Deadline(context.options.timeoutMs, { operation: '@CacheInvalidate' });
    await Promise.all([
      tags.length
        ? deadline
            .run((o) => context.tags.invalidate(tags, o))
            .catch((error: unknown) => context.report(error, 'invalidateTags', tags.join(',')))
        : undefined,
      ...keys.map((key) => {
        const id = this.idOf(key);
        // A read that started before the delete must not hand its answer to later callers.
        this.#flights.forget(id);
        return deadline
          .run((o) => this.#entries.delete(id, o))
          .catch((error: unknown) => context.report(error, 'del', key));
      }),
    ]);
  }

  /**
   * Stores `value` under `id`, fire and forget: reads in this process wait for the encoding and
   * then see it; the store write has its own deadline. `undefined`, `null` and Observables are
   * not stored; a value the envelope cannot carry, a failure or a timeout is reported.
   */
  #save(id: string, plan: MethodCachePlan, value: unknown, startedAt: number): void {
    if (value === undefined || value === null || isObservable(value)) return;
    if (!this.#breaker.allows()) return;
    this.#flights.forget(id);
    const context = this.#context;
    const ttlMs = plan.ttlMs || context.options.ttl || context.options.defaultTtlSeconds * 1000;
    const deadline = new Deadline(context.options.timeoutMs, { operation: '@Cacheable write' });
    const write = deadline.run(() =>
      this.#reader.writeWhenReady(id, async () => {
        const entry: MethodEntry = {
          value,
          storedAt: startedAt,
          expiresAt: Date.now() + ttlMs,
          tags: plan.tags,
        };
        const bytes = await encodeMethodEntry(entry);
        // What is served from memory is what the store holds, not the caller's live object.
        const copy = await decodeMethodEntry(bytes);
        const ttlSeconds = context.ttlSeconds(ttlMs);
        return { entry: copy, bytes, options: deadline.callOptions<SetOptions>({ ttlSeconds }) };
      }),
    );
    write.then(
      () => this.#breaker.succeeded(),
      (error: unknown) => {
        this.#breaker.failed(error);
        context.report(error, 'set', plan.key);
      },
    );
  }
}
