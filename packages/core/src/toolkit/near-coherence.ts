/**
 * The `nearCache.coherence` option every adapter shares, and how an adapter joins its near caches
 * to the invalidation bus of its scope.
 */
import { InvalidArgumentError } from '../client/errors';
import type { AdapterName } from './failure-report';
import {
  type CoherenceLink,
  type CoherenceTarget,
  type InvalidationBusOptions,
  type TopicsApi,
} from './invalidation-bus';
import { sharedInvalidationBus } from './invalidation-buses';
import { DEFAULT_NEAR_CACHE_TTL_MS } from './near-cache';
import { show } from './option-checks';
import { sha256, toHex } from './sha256';

/**
 * How near caches learn of other processes' changes: `'topics'` (an invalidation bus over Momento
 * Topics; entries live up to `ttlMs` while it is healthy) or `'ttl'` (nothing: entries live
 * `ttlMs`, so keep it short).
 */
export type NearCoherence = 'topics' | 'ttl';

/** The near TTL when coherence is `'topics'` and none is given: 30 s. */
export const DEFAULT_COHERENT_NEAR_TTL_MS = 30_000;

/** The near cache's settings once coherence is decided. */
export interface NearCoherenceSettings {
  /** What is in effect: `'ttl'` when topics were asked for but the store cannot do them. */
  coherence: NearCoherence;
  /** The near TTL: the option, else 30 s with topics, 1 s without. */
  ttlMs: number;
  /** Where the bus publishes and subscribes, when `coherence` is `'topics'`. */
  topics: TopicsApi | undefined;
  /** Set when the user asked for `'topics'` and the store has none (report it once). */
  unavailable: Error | undefined;
}

/** Topics asked for, but the store given cannot publish or subscribe (a plain `CacheStore`). */
export class CoherenceUnavailableError extends Error {
  override name = 'CoherenceUnavailableError';
}

/**
 * Checks `nearCache.coherence` and decides what is in effect. `'topics'` (the default) needs
 * `topics` (a Momento client's `client.topics`): without it the near cache falls back to `'ttl'`,
 * silently when the option was left out, with `unavailable` set when it was asked for.
 *
 * @param option the user's `coherence` (`undefined`: the default).
 * @param ttlMs the user's `ttlMs` (`undefined`: the default for the mode in effect).
 * @throws InvalidArgumentError for a value other than `'topics'`, `'ttl'` or `undefined`.
 */
export function resolveNearCoherence(
  option: unknown,
  ttlMs: number | undefined,
  topics: TopicsApi | undefined,
  name = 'nearCache.coherence',
): NearCoherenceSettings {
  if (option !== undefined && option !== 'topics' && option !== 'ttl') {
    throw new InvalidArgumentError(`${name} must be 'topics' or 'ttl', got ${show(option)}`);
  }
  const coherence: NearCoherence = option === 'ttl' || topics === undefined ? 'ttl' : 'topics';
  const unavailable =
    option === 'topics' && topics === undefined
      ? new CoherenceUnavailableError(
          `${name} is 'topics' but the store given has no topics (pass a Momento client, or a store from client.cache()); near entries live ttlMs without coherence`,
        )
      : undefined;
  return {
    coherence,
    ttlMs:
      ttlMs ?? (coherence === 'topics' ? DEFAULT_COHERENT_NEAR_TTL_MS : DEFAULT_NEAR_CACHE_TTL_MS),
    topics: coherence === 'topics' ? topics : undefined,
    unavailable,
  };
}

/**
 * The topics of whatever an adapter was given: a client's `topics`, or a store's (stores from
 * `client.cache()` carry their client's). `undefined` for stores without (the memory store).
 */
export function topicsOf(source: unknown): TopicsApi | undefined {
  const topics = (source as { topics?: Partial<TopicsApi> } | null | undefined)?.topics;
  return typeof topics?.publish === 'function' && typeof topics.subscribe === 'function'
    ? (topics as TopicsApi)
    : undefined;
}

/** Topic names kept readable when made only of these (and short); others are hashed. */
const PLAIN_SCOPE = /^[A-Za-z0-9_.:-]{1,80}$/;

/**
 * The topic an adapter's near caches share: one per adapter and scope (namespace, build id), so
 * unrelated apps on one cache do not hear each other's invalidations.
 * @example coherenceTopicName('keyv', 'sessions') // 'momento-http.near.keyv.sessions'
 */
export function coherenceTopicName(adapter: AdapterName, scope: string): string {
  const part = PLAIN_SCOPE.test(scope)
    ? scope
    : `h${toHex(sha256(new TextEncoder().encode(scope))).slice(0, 32)}`;
  return `momento-http.near.${adapter}.${part}`;
}

/** What {@link joinNearCoherence} needs. */
export interface JoinNearCoherenceOptions extends InvalidationBusOptions {
  topics: TopicsApi;
  cacheName: string;
  topicName: string;
  /** Where the bus's failures go (the adapter's failure reporter). */
  onError?: (error: unknown, operation: string) => void;
}

/**
 * Joins `target` to the process's bus for the topic. The returned link's `lifeCapMs` goes to the
 * near caches (`FencedNearCache`'s `lifeCap`), its `publish` after every write that settled.
 * Call `leave()` when the adapter closes.
 */
export function joinNearCoherence(
  options: JoinNearCoherenceOptions,
  target: CoherenceTarget,
): CoherenceLink {
  const { topics, cacheName, topicName, onError, ...busOptions } = options;
  return sharedInvalidationBus(topics, cacheName, topicName, busOptions).join(target, onError);
}

/** Near caches as one coherence target (see {@link nearCacheTarget}). */
export interface NearCacheLike {
  invalidate(ids: Iterable<string>): void;
  clear(): void;
  capTtl(ms: number): void;
}

/**
 * The usual target: an entry near cache (ids), a tag-state near cache (tags), and what else a
 * clear must reset (a namespace generation held in memory). Each part is optional and looked up
 * when a message comes, so it may be created after the link.
 */
export function nearCacheTarget(parts: {
  entries?: () => NearCacheLike | undefined;
  tags?: () => NearCacheLike | undefined;
  onClear?: () => void;
}): CoherenceTarget {
  return {
    invalidate: (ids) => parts.entries?.()?.invalidate(ids),
    invalidateTags: (tags) => parts.tags?.()?.invalidate(tags),
    clear: () => {
      parts.entries?.()?.clear();
      parts.tags?.()?.clear();
      parts.onClear?.();
    },
    capTtl: (ms) => {
      parts.entries?.()?.capTtl(ms);
      parts.tags?.()?.capTtl(ms);
    },
  };
}
