import {
  type CacheStore,
  createClient,
  SingleFlight,
  TagStore,
  type TtlPolicy,
  toTtlSeconds,
  withNearCache,
  withSingleFlight,
} from '@momento-http/core';
import { KeyvMomento } from '@momento-http/keyv';
import type { OnModuleDestroy } from '@nestjs/common';
import Keyv from 'keyv';
import type { NormalizedOptions } from './options';
import { withTimeBox } from './time-box';

/**
 * Everything the module shares between its providers, built once from the normalised options:
 * the Keyv 5 instance handed to `@nestjs/cache-manager`, the time-boxed store the HTTP
 * interceptor writes whole responses to, and the tag store.
 */
export class MomentoCacheContext implements OnModuleDestroy {
  /** The Keyv 5 instance given to cache-manager as `stores: [keyv]` (Nest keeps it as it is). */
  readonly keyv: Keyv;
  /** Time-boxed (and, when enabled, near-cached) store for response entries. */
  readonly store: CacheStore;
  /** Tag timestamps; always read from Momento, never from the near cache, so all instances agree. */
  readonly tags: TagStore;
  /** In-process single-flight for `MomentoCacheService.wrap`. */
  readonly flights = new SingleFlight<unknown>();
  readonly ttlPolicy: TtlPolicy;
  #closed = false;

  constructor(readonly options: NormalizedOptions) {
    const base = options.store ?? (options.client ?? createClient()).cache(options.cacheName);
    // Concurrent requests for one hot key (or one tag) share a single store read.
    const shared = withSingleFlight(withTimeBox(base, options.timeoutMs));
    this.store = options.nearCache ? withNearCache(shared, options.nearCache) : shared;
    // A tag key must outlive every entry it may invalidate.
    this.tags = new TagStore(shared, {
      prefix: options.tagPrefix,
      ttlSeconds: options.maxTtlSeconds,
    });
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
