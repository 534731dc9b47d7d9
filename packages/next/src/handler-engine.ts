import {
  CircuitBreaker,
  Deadline,
  EntryCache,
  resolveCacheTarget,
  storeKey,
  TaggedEntryReader,
  type TaggedRead,
  type TaggedReadOptions,
  type TagStates,
  withStats,
} from '@momento-http/core';
import type { ResolvedOptions } from './options';
import { sharedTagStates } from './shared-tag-states';
import { processStats } from './stats';
import { handlerNearCache, handlerStoreStack } from './store-stack';

/** What a handler kind tells the engine about its entries. */
export interface EntryKind<T> {
  /** Bytes to entry; throws on bytes that are not one of this kind's entries (a reported miss). */
  decode: (bytes: Uint8Array) => Promise<T>;
  tagsOf: (entry: T) => readonly string[];
  /** When the entry was made (epoch ms), compared with tag revalidation times. */
  createdAt: (entry: T) => number;
}

/** An entry ready to store: the decoded form (served to this process) and its bytes. */
export interface EntryToStore<T> {
  entry: T;
  bytes: Uint8Array;
  ttlSeconds: number;
}

interface Layers<T> {
  entries: EntryCache<T>;
  reader: TaggedEntryReader<T>;
  tags: TagStates;
  breaker: CircuitBreaker;
}

/** Near-cache TTLs need a monotonic clock; Next instruments `Date.now()` under cacheComponents. */
const monotonic = () => performance.now();

/**
 * One handler kind's view of the core engine, composed in the documented order: the store stack
 * `withSingleFlight(withChunking(store))`, one circuit breaker, the near cache of decoded entries
 * (when on), an `EntryCache` with read-your-writes, the process's shared `TagStates`, and a
 * `TaggedEntryReader`. Built on first use: a handler imported during `next build` without
 * credentials costs nothing and never throws. Nothing here rejects but a revalidation.
 */
export class HandlerEngine<T> {
  readonly options: ResolvedOptions;
  readonly #kind: EntryKind<T>;
  #layers: Layers<T> | { error: unknown } | undefined;

  constructor(options: ResolvedOptions, kind: EntryKind<T>) {
    this.options = options;
    this.#kind = kind;
  }

  /** The entry at `scope`/`key` if it may be served; one `Deadline` covers the entry and all its tags. */
  async read(
    scope: string,
    key: string,
    options: TaggedReadOptions<T>,
  ): Promise<TaggedRead<T> | undefined> {
    const target = this.#locate(scope, key, 'get');
    if (!target) {
      processStats().recordRead(undefined);
      return undefined;
    }
    const { layers, id } = target;
    // A near or pending entry whose tag states are all held answers without a timer.
    const local = layers.reader.peek(id, options);
    if (local) {
      processStats().recordRead(local);
      return local;
    }
    const deadline = new Deadline(this.options.getTimeoutMs, { operation: 'next cache get' });
    const read = await layers.reader.read(id, { deadline }, options);
    processStats().recordRead(read);
    return read;
  }

  /**
   * Stores what `produce` makes (it may wait for Next's pending entry); reads of the key in this
   * process wait for it, then see it. Never rejects: failures go to `onError`.
   */
  async write(
    scope: string,
    key: string,
    produce: () => Promise<EntryToStore<T> | undefined>,
  ): Promise<void> {
    const target = this.#locate(scope, key, 'set');
    if (!target) return;
    const { layers, id } = target;
    const { reader, breaker } = layers;
    let storing = false;
    try {
      await reader.writeWhenReady(id, async () => {
        let item: EntryToStore<T> | undefined;
        try {
          item = await produce();
        } catch (error) {
          // Next's render or stream failed: nothing to store, and no sign of a cache outage.
          this.#report(error, 'set');
          return undefined;
        }
        if (!item || !breaker.allows()) return undefined;
        storing = true;
        const deadline = new Deadline(this.options.setTimeoutMs, { operation: 'next cache set' });
        const options = deadline.callOptions({
          ttlSeconds: item.ttlSeconds,
          signal: deadline.signal,
        });
        return { entry: item.entry, bytes: item.bytes, options };
      });
      if (storing) breaker.succeeded();
    } catch (error) {
      if (storing) breaker.failed(error);
      this.#report(error, 'set');
    }
  }

  /**
   * Records a revalidation of `tags` for every instance; this process sees it at once. Rejects when
   * it could not be recorded: reporting success for a revalidation nobody will see is worse.
   * `expireSeconds` undefined or 0 expires at once; otherwise the tags turn stale now
   * (stale-while-revalidate) and expire that many seconds later.
   */
  async invalidate(tags: readonly unknown[], expireSeconds: number | undefined): Promise<void> {
    const unique = [...new Set(tags)].filter(
      (tag): tag is string => typeof tag === 'string' && tag.length > 0,
    );
    if (unique.length === 0) return;
    try {
      const { tags: tagStates } = this.#build();
      // Past the longest entry TTL a deferred expiry changes nothing (every entry is gone by then).
      const expireInSeconds =
        expireSeconds === undefined || !(expireSeconds > 0)
          ? 0
          : Math.min(expireSeconds, this.options.maxTtlSeconds);
      const deadline = new Deadline(this.options.setTimeoutMs, { operation: 'next revalidate' });
      // Started synchronously: the other handler kind's identical call in this turn joins it.
      await deadline.run((o) => tagStates.invalidate(unique, { ...o, expireInSeconds }));
    } catch (error) {
      this.#report(error, 'revalidate');
      throw error;
    }
  }

  /**
   * Seeds `item` at `scope`/`key` from outside a request (the build's output): reads the store
   * first and keeps what is there when `keep` says so (the API has no conditional write), else
   * writes through the same store stack as `write`. Unlike `write` it rejects on any failure
   * and is not skipped by the circuit breaker: the seed reports every entry it could not store.
   */
  async seed(
    scope: string,
    key: string,
    item: EntryToStore<T>,
    keep: ((existing: T) => boolean) | undefined,
  ): Promise<'written' | 'kept'> {
    const { entries } = this.#build();
    const id = this.#storeId(scope, key);
    const deadline = new Deadline(this.options.setTimeoutMs, { operation: 'next cache seed' });
    if (keep) {
      // Bytes that are not an entry of this kind read as absent (reported) and are replaced.
      const { entry } = await deadline.run((o) => entries.readStore(id, o));
      if (entry !== undefined && keep(entry)) return 'kept';
    }
    await deadline.run((o) =>
      entries.set(id, item.entry, item.bytes, { ...o, ttlSeconds: item.ttlSeconds }),
    );
    return 'written';
  }

  /** The store key: namespace, scope, then the key (hashed when long). */
  #storeId(scope: string, key: string): string {
    return `${this.options.namespace}${scope}|${storeKey(key)}`;
  }

  /** The layers and the store id of `key`, or `undefined` (reported) when either cannot be had. */
  #locate(
    scope: string,
    key: string,
    operation: 'get' | 'set',
  ): { layers: Layers<T>; id: string } | undefined {
    try {
      return {
        layers: this.#build(),
        id: this.#storeId(scope, key),
      };
    } catch (error) {
      this.#report(error, operation);
      return undefined;
    }
  }

  #report(error: unknown, operation: string): void {
    this.options.onError(error, operation);
  }

  #build(): Layers<T> {
    if (!this.#layers) {
      try {
        this.#layers = this.#compose();
      } catch (error) {
        this.#layers = { error };
        this.#report(error, 'configure');
      }
    }
    if ('error' in this.#layers) throw this.#layers.error;
    return this.#layers;
  }

  #compose(): Layers<T> {
    const o = this.options;
    const target = resolveCacheTarget({ store: o.store, client: o.client, cacheName: o.cacheName });
    const store = handlerStoreStack(withStats(target.store, processStats()), o, (error) =>
      this.#report(error, 'chunking'),
    );
    const breaker = new CircuitBreaker({ failures: 1, cooldownMs: o.circuitBreakMs });
    const report = (error: unknown, operation: string) => this.#report(error, operation);
    const near = o.nearCache
      ? handlerNearCache<T>(o.nearCache, target, o.namespace, monotonic, report)
      : undefined;
    const entries = new EntryCache<T>({
      store,
      decode: this.#kind.decode,
      near: near?.near,
      onError: (error) => this.#report(error, 'decode'),
      onChange: near?.onChange,
    });
    const endpoint = globalThis.process?.env?.MOMENTO_ENDPOINT ?? '';
    const tags = sharedTagStates(
      {
        owner: o.store ?? o.client,
        cacheName: o.store || o.client ? target.cacheName : `${endpoint}|${target.cacheName}`,
        namespace: o.namespace,
        tagKeyPrefix: o.tagKeyPrefix,
        ttlSeconds: o.maxTtlSeconds,
        near: o.nearCache,
        nearClock: monotonic,
        coherence: near?.coherence,
        cacheNameOfStore: target.cacheName,
        report,
      },
      store,
    );
    const reader = new TaggedEntryReader<T>({
      entries,
      tags,
      tagsOf: this.#kind.tagsOf,
      createdAt: this.#kind.createdAt,
      breaker,
      // A failed entry or tag read is a miss of this `get`.
      onError: (error) => this.#report(error, 'get'),
    });
    return { entries, reader, tags, breaker };
  }
}
