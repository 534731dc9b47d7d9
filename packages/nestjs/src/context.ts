import {
  CacheStats,
  type CacheStatsSnapshot,
  type CacheStore,
  createFailureReporter,
  type FailureHandler,
  SingleFlight,
  type TagStates,
  type TtlPolicy,
  toTtlSeconds,
  withChunking,
  withSingleFlight,
  withStats,
} from '@momento-http/core';
import { KeyvMomento } from '@momento-http/keyv';
import { Logger, type OnModuleDestroy } from '@nestjs/common';
import Keyv from 'keyv';
import type { NormalizedOptions } from './normalize-options';
import { createTagStates, ResponseCache } from './response-cache';

/**
 * Everything the module shares between its providers, built once from the normalised options:
 * the Keyv 5 instance handed to `@nestjs/cache-manager`, and the core engine behind
 * `HttpCacheInterceptor`, `@CacheEvict` and `MomentoCacheService.invalidateTags`, composed in the
 * core README's order: store stack → circuit breaker → near cache → entries → tag states → reader.
 */
export class MomentoCacheContext implements OnModuleDestroy {
  /** The Keyv 5 instance given to cache-manager as `stores: [keyv]` (Nest keeps it as it is). */
  readonly keyv: Keyv;
  /** The store stack of response entries and tags: `withSingleFlight(withChunking(cache))`. */
  readonly store: CacheStore;
  /** Tag states: this process's invalidations seen at once, other instances' on the next read. */
  readonly tags: TagStates;
  /** `HttpCacheInterceptor`'s entries: near cache, read-your-writes, tagged reads, breaker. */
  readonly responses: ResponseCache;
  /** In-process single-flight for `MomentoCacheService.wrap`. */
  readonly flights = new SingleFlight<unknown>();
  readonly ttlPolicy: TtlPolicy;
  /** `HttpCacheInterceptor`'s figures (its lookups, the bytes of entries and tags, its errors). */
  readonly responseStats = new CacheStats();
  /** The Keyv store under cache-manager (it counts its own reads, bytes and errors). */
  readonly #adapter: KeyvMomento;
  /** The default report (one Logger warning per cause), or undefined when `onError` is given. */
  readonly #defaultReport: FailureHandler | undefined;
  /** Store failures the adapter already reported: Keyv forwards them as 'error' events too. */
  readonly #reportedByAdapter = new WeakSet<object>();
  #closed = false;

  constructor(readonly options: NormalizedOptions) {
    const base = options.store;
    const logger = new Logger('MomentoCacheModule');
    this.#defaultReport = options.onError
      ? undefined
      : createFailureReporter({
          adapter: 'nestjs',
          cacheName: options.cacheName,
          warn: (message) => logger.warn(message),
        });
    // Integrity and chunking under everything; concurrent reads of one key share one request.
    this.store = withSingleFlight(
      withChunking(withStats(base, this.responseStats), {
        maxTtlSeconds: options.maxTtlSeconds,
        onError: (error, { key }) => this.report(error, 'get', String(key)),
      }),
    );
    this.tags = createTagStates(this.store, options);
    this.responses = new ResponseCache(
      this.store,
      this.tags,
      options,
      (error, operation, key) => this.report(error, operation, key),
      this.responseStats,
    );
    this.ttlPolicy = {
      defaultTtlSeconds: options.defaultTtlSeconds,
      maxTtlSeconds: options.maxTtlSeconds,
    };
    const adapter = new KeyvMomento({
      store: base,
      timeoutMs: options.timeoutMs,
      defaultTtlMs: options.defaultTtlSeconds * 1000,
      maxTtlSeconds: options.maxTtlSeconds,
      nearCache: options.nearCache ?? false,
      // One tag side per module: `invalidateTags` purges tagged data at once here too.
      tagStates: this.tags,
      // Counted in the adapter's own stats; routed to `onError` or the module's default report.
      onError: (error, operation) => {
        if (typeof error === 'object' && error !== null) this.#reportedByAdapter.add(error);
        this.#route(error, operation);
      },
    });
    this.#adapter = adapter;
    // A Keyv 5 instance (not a bare adapter): Nest's duck-typing keeps it as it is, so there is
    // exactly one Keyv envelope and the namespace is ours (a Keyv 6 instance would be re-wrapped).
    // The adapter namespaces keys itself (with a generation, so `clear()` works on Momento), hence
    // `useKeyPrefix: false`: no `nest:nest:` double prefix.
    this.keyv = new Keyv(adapter, {
      namespace: options.namespace,
      ttl: options.ttl,
      useKeyPrefix: false,
    });
    // Keyv reports failed writes only as 'error' events; without a listener they vanish. The
    // adapter's own failures reached `onError` above already.
    this.keyv.on('error', (error: unknown) => {
      const seen =
        typeof error === 'object' && error !== null && this.#reportedByAdapter.has(error);
      if (!seen) this.report(error, 'keyv');
    });
  }

  /**
   * The module's figures: the interceptor's lookups and `MomentoCacheService` / cache-manager
   * reads (through the Keyv store), with their errors and bytes.
   */
  stats(): CacheStatsSnapshot {
    const responses = this.responseStats.snapshot();
    const keyv = this.#adapter.stats();
    for (const figure of Object.keys(responses) as (keyof CacheStatsSnapshot)[]) {
      responses[figure] += keyv[figure];
    }
    return responses;
  }

  /** True once the application shuts down; interceptors then pass requests straight through. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Momento TTL in whole seconds for a TTL in ms (`undefined`: the module default). */
  ttlSeconds(ttlMs: number | undefined): number {
    return toTtlSeconds(ttlMs ?? this.options.ttl, this.ttlPolicy);
  }

  /**
   * Counts a store failure and hands it to `onError`, or to the default report (one Logger
   * warning per cause and process). A throwing handler is ignored (it must not fail a request).
   */
  report(error: unknown, operation: string, key?: string): void {
    this.responseStats.count('errors');
    this.#route(error, operation, key);
  }

  #route(error: unknown, operation: string, key?: string): void {
    if (this.#defaultReport) {
      this.#defaultReport(error, operation);
      return;
    }
    try {
      this.options.onError?.(error, { operation, key });
    } catch {
      // The error hook is the user's; its failure must not turn a cache miss into a 500.
    }
  }

  onModuleDestroy(): void {
    // cache-manager's own onModuleDestroy disconnects the Keyv store; this stops new work here.
    this.#closed = true;
    this.responses.close();
  }
}
