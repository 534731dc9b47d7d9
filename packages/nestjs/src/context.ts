import {
  type CacheStore,
  SingleFlight,
  type TagStates,
  type TtlPolicy,
  toTtlSeconds,
  withChunking,
  withSingleFlight,
} from '@momento-http/core';
import { KeyvMomento } from '@momento-http/keyv';
import type { OnModuleDestroy } from '@nestjs/common';
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
  #closed = false;

  constructor(readonly options: NormalizedOptions) {
    const base = options.store;
    // Integrity and chunking under everything; concurrent reads of one key share one request.
    this.store = withSingleFlight(
      withChunking(base, {
        maxTtlSeconds: options.maxTtlSeconds,
        onError: (error, { key }) => this.report(error, 'get', String(key)),
      }),
    );
    this.tags = createTagStates(this.store, options);
    this.responses = new ResponseCache(this.store, this.tags, options, (error, operation, key) =>
      this.report(error, operation, key),
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
    });
    // A Keyv 5 instance (not a bare adapter): Nest's duck-typing keeps it as it is, so there is
    // exactly one Keyv envelope and the namespace is ours (a Keyv 6 instance would be re-wrapped).
    // The adapter namespaces keys itself (with a generation, so `clear()` works on Momento), hence
    // `useKeyPrefix: false`: no `nest:nest:` double prefix.
    this.keyv = new Keyv(adapter, {
      namespace: options.namespace,
      ttl: options.ttl,
      useKeyPrefix: false,
    });
    // Keyv reports failed writes only as 'error' events; without a listener they vanish.
    this.keyv.on('error', (error: unknown) => this.report(error, 'keyv'));
  }

  /** True once the application shuts down; interceptors then pass requests straight through. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Momento TTL in whole seconds for a TTL in ms (`undefined`: the module default). */
  ttlSeconds(ttlMs: number | undefined): number {
    return toTtlSeconds(ttlMs ?? this.options.ttl, this.ttlPolicy);
  }

  /** Hands a store failure to `onError`; a throwing handler is ignored (it must not fail a request). */
  report(error: unknown, operation: string, key?: string): void {
    try {
      this.options.onError(error, { operation, key });
    } catch {
      // The error hook is the user's; its failure must not turn a cache miss into a 500.
    }
  }

  onModuleDestroy(): void {
    // cache-manager's own onModuleDestroy disconnects the Keyv store; this stops new work here.
    this.#closed = true;
  }
}
