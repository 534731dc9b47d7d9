/**
 * Near caches kept coherent across processes over Momento Topics: one bus per (client, cache,
 * topic) per process publishes what this process changed and tells every near cache attached to
 * it what other processes changed.
 */
import {
  AuthenticationError,
  BadRequestError,
  CacheNotFoundError,
  LimitExceededError,
  MomentoError,
  PermissionError,
} from '../client/errors';
import type { Topics } from '../client/topics';
import { reconnectDelayMs } from '../client/topics';
import { decodeInvalidation, encodeInvalidations, type Invalidation } from './invalidation-message';
import { DEFAULT_NEAR_CACHE_TTL_MS } from './near-cache';
import { checkAtLeast } from './option-checks';
import { toHex } from './sha256';

/** What the bus needs of a client: `client.topics`. */
export type TopicsApi = Pick<Topics, 'publish' | 'subscribe'>;

/** What a near cache (or a set of them) does when told about changes made elsewhere. */
export interface CoherenceTarget {
  /** Ids another process (or another store in this one) wrote or deleted. */
  invalidate(ids: readonly string[]): void;
  /** Tags invalidated elsewhere. */
  invalidateTags?(tags: readonly string[]): void;
  /** Drop everything: a clear elsewhere, or a discontinuity (messages were missed). */
  clear(): void;
  /** The channel just weakened: whatever is held may live at most `ms` more. */
  capTtl(ms: number): void;
}

/**
 * - `connecting`: subscribed, no answer yet. `live`: answering and heard from within the lease.
 * - `lagging`: nothing heard for too long (a heartbeat should have come back). `reconnecting`:
 *   the subscription failed and is retrying. `suspect`: the last message was malformed.
 * - `off`: topics refused (401/403/404/429, a bad request): coherence is off for this process.
 * Every state but `live` bounds near entries by the short TTL.
 */
export type CoherenceState = 'connecting' | 'live' | 'lagging' | 'reconnecting' | 'suspect' | 'off';

/** What changed, as the caller that changed it says (after its store write settled). */
export interface CoherenceChange {
  keys?: Iterable<string>;
  tags?: Iterable<string>;
  clear?: boolean;
}

/** One near cache's membership of a bus. */
export interface CoherenceLink {
  /** Announces a change this process made (after the store write settled); batched per tick. */
  publish(change: CoherenceChange): void;
  /**
   * The longest an entry stored near now may live: unbounded (the near cache's own `ttlMs`)
   * while the bus is live, the short bound otherwise. Pass it as `FencedNearCache`'s `lifeCap`.
   */
  readonly lifeCapMs: () => number;
  /** The bus's state now. */
  readonly state: CoherenceState;
  /** Leaves the bus; the last one to leave stops its subscription. */
  leave(): void;
}

/** Options for {@link InvalidationBus}. */
export interface InvalidationBusOptions {
  /** The life of near entries whenever the bus is not live. @default 1000 */
  shortTtlMs?: number;
  /**
   * When nothing was heard for this long the bus publishes a heartbeat; nothing heard for 2.5×
   * this turns it `lagging` (a subscription that hangs silently). @default 5000
   */
  heartbeatMs?: number;
  /** Clock (ms). @default Date.now */
  now?: () => number;
}

/** Attempts for one batch whose publish failed with a retryable error, before it is given up. */
const PUBLISH_ATTEMPTS = 3;
const LEASE_HEARTBEATS = 2.5;

interface Member {
  target: CoherenceTarget;
  onError: (error: unknown, operation: string) => void;
}

/**
 * The invalidation bus of one topic in this process.
 *
 * - **Publish**: changes announced through links are sent in one message per tick (more only if
 *   it would be too large), after the writes settled, never retried in a way that blocks a
 *   caller: a publish that fails is retried in the background a few times, then reported. Other
 *   links of this bus (another store in this process over the same topic) are told at once.
 * - **Subscribe** once, from the first link on: items from other processes invalidate; this
 *   bus's own items (heartbeats included) only prove the subscription is caught up; a
 *   discontinuity clears every near cache.
 * - **Health**: live after the first answer and while answers keep coming (a heartbeat is
 *   published when the topic is quiet); any failure, a malformed message or silence caps every
 *   near entry at the short bound until the next clean answer. 401/403/404/429/400 from topics
 *   turn coherence off for the process (one report), the near caches keep the short bound.
 *
 * Nothing here ever waits on the subscription: reads and writes only call `lifeCapMs()` and
 * `publish()`, both synchronous.
 */
export class InvalidationBus {
  /** This bus's origin id in messages (random per process and topic). */
  readonly id: string;
  readonly cacheName: string;
  readonly topicName: string;
  readonly shortTtlMs: number;
  readonly #topics: TopicsApi;
  readonly #heartbeatMs: number;
  readonly #now: () => number;
  readonly #members = new Set<Member>();
  readonly #onEmpty: () => void;
  #state: CoherenceState = 'connecting';
  #lastHeard = Number.NEGATIVE_INFINITY;
  #subscription: AbortController | undefined;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #pending: Invalidation;
  #flushQueued = false;
  #publishing = false;

  constructor(
    topics: TopicsApi,
    cacheName: string,
    topicName: string,
    options: InvalidationBusOptions = {},
    onEmpty: () => void = () => {},
  ) {
    this.#topics = topics;
    this.cacheName = cacheName;
    this.topicName = topicName;
    this.shortTtlMs = checkAtLeast('shortTtlMs', options.shortTtlMs ?? DEFAULT_NEAR_CACHE_TTL_MS);
    this.#heartbeatMs = checkAtLeast('heartbeatMs', options.heartbeatMs ?? 5000, 1);
    this.#now = options.now ?? Date.now;
    this.#onEmpty = onEmpty;
    const random = new Uint8Array(8);
    globalThis.crypto.getRandomValues(random);
    this.id = toHex(random);
    this.#pending = this.#empty();
  }

  get state(): CoherenceState {
    return this.#state;
  }

  /**
   * Attaches `target`: it is told what other processes change, its entries are capped when the
   * bus weakens. `onError` receives every failure the bus rides out (operation names the step).
   */
  join(
    target: CoherenceTarget,
    onError: (error: unknown, operation: string) => void = () => {},
  ): CoherenceLink {
    const member: Member = { target, onError };
    this.#members.add(member);
    this.#start();
    const state = () => this.#state;
    return {
      publish: (change) => this.#publish(member, change),
      lifeCapMs: () => this.#lifeCapMs(),
      get state() {
        return state();
      },
      leave: () => this.#leave(member),
    };
  }

  /** Unbounded while live and heard from within the lease; else the short bound. */
  #lifeCapMs(): number {
    if (this.#state !== 'live') return this.shortTtlMs;
    if (this.#now() - this.#lastHeard < this.#heartbeatMs * LEASE_HEARTBEATS) {
      return Number.POSITIVE_INFINITY;
    }
    this.#degrade('lagging');
    return this.shortTtlMs;
  }

  #start(): void {
    if (this.#subscription || this.#state === 'off') return;
    const controller = new AbortController();
    this.#subscription = controller;
    this.#run(controller.signal);
    // Checked twice per heartbeat period: a heartbeat goes out at most 1.5 periods after the last
    // answer, a full period before the lease (2.5) runs out.
    this.#heartbeat = setInterval(() => this.#tick(), this.#heartbeatMs / 2);
    (this.#heartbeat as { unref?: () => void }).unref?.();
    // A first message of our own: the subscription's first answer comes at once, so the bus
    // turns live without waiting for someone else to write.
    this.#queue();
  }

  #leave(member: Member): void {
    if (!this.#members.delete(member) || this.#members.size > 0) return;
    this.#stop();
    this.#onEmpty();
  }

  #stop(): void {
    this.#subscription?.abort();
    this.#subscription = undefined;
    if (this.#heartbeat !== undefined) clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }

  async #run(signal: AbortSignal): Promise<void> {
    try {
      const events = this.#topics.subscribe(this.cacheName, this.topicName, {
        signal,
        // An app that is done must exit: the bus never keeps it alive.
        background: true,
        onError: (error) => {
          this.#degrade('reconnecting');
          this.#report(error, 'coherence subscribe');
        },
      });
      for await (const event of events) {
        this.#lastHeard = this.#now();
        if (event.kind === 'discontinuity') {
          // Messages were missed (a restart, a gap): nothing held near can be trusted.
          for (const { target } of this.#members) target.clear();
          this.#state = 'live';
          continue;
        }
        let message: Invalidation;
        try {
          message = decodeInvalidation(event.value);
        } catch (error) {
          this.#degrade('suspect');
          this.#report(error, 'coherence message');
          continue;
        }
        this.#state = 'live';
        if (message.origin !== this.id) this.#deliver(message, undefined);
      }
    } catch (error) {
      if (!signal.aborted) this.#turnOff(error, 'coherence subscribe');
    }
  }

  /** Publishes a heartbeat when the topic was quiet; notices a subscription gone silent. */
  #tick(): void {
    if (this.#state === 'off') return;
    const silentFor = this.#now() - this.#lastHeard;
    if (silentFor >= this.#heartbeatMs * LEASE_HEARTBEATS && this.#state === 'live') {
      this.#degrade('lagging');
    }
    if (silentFor >= this.#heartbeatMs) this.#queue();
  }

  /** Tells every member but `from` about `message`. */
  #deliver(message: Invalidation, from: Member | undefined): void {
    for (const member of this.#members) {
      if (member === from) continue;
      const { target } = member;
      if (message.clear) {
        target.clear();
        continue;
      }
      if (message.keys.length > 0) target.invalidate(message.keys);
      if (message.tags.length > 0) target.invalidateTags?.(message.tags);
    }
  }

  #publish(from: Member, change: CoherenceChange): void {
    const local: Invalidation = {
      origin: this.id,
      keys: [...(change.keys ?? [])],
      tags: [...(change.tags ?? [])],
      clear: change.clear === true,
    };
    if (this.#members.size > 1) this.#deliver(local, from);
    if (this.#state === 'off') return;
    const pending = this.#pending;
    for (const key of local.keys) pending.keys.push(key);
    for (const tag of local.tags) pending.tags.push(tag);
    pending.clear ||= local.clear;
    this.#queue();
  }

  /** Sends what is pending on the next tick (one message for everything changed until then). */
  #queue(): void {
    if (this.#flushQueued || this.#publishing) return;
    this.#flushQueued = true;
    setTimeout(() => {
      this.#flushQueued = false;
      void this.#flush(1);
    }, 0);
  }

  async #flush(attempt: number): Promise<void> {
    if (this.#state === 'off') return;
    const batch = this.#pending;
    this.#pending = this.#empty();
    batch.keys = [...new Set(batch.keys)];
    batch.tags = [...new Set(batch.tags)];
    this.#publishing = true;
    let failed: unknown;
    try {
      for (const message of encodeInvalidations(batch)) {
        await this.#topics.publish(this.cacheName, this.topicName, message);
      }
    } catch (error) {
      failed = error;
    } finally {
      this.#publishing = false;
    }
    if (failed === undefined) {
      if (this.#hasPending()) this.#queue();
      return;
    }
    if (refusesTopics(failed)) {
      this.#turnOff(failed, 'coherence publish');
      return;
    }
    this.#report(failed, 'coherence publish');
    if (attempt >= PUBLISH_ATTEMPTS) {
      if (this.#hasPending()) this.#queue();
      return;
    }
    // Other processes did not hear of these changes: try again shortly, in the background
    // (what is changed meanwhile goes with it: `#flushQueued` holds off other sends).
    this.#merge(batch);
    this.#flushQueued = true;
    setTimeout(() => {
      this.#flushQueued = false;
      void this.#flush(attempt + 1);
    }, reconnectDelayMs(attempt));
  }

  #merge(batch: Invalidation): void {
    this.#pending.keys.push(...batch.keys);
    this.#pending.tags.push(...batch.tags);
    this.#pending.clear ||= batch.clear;
  }

  #hasPending(): boolean {
    const p = this.#pending;
    return p.keys.length > 0 || p.tags.length > 0 || p.clear;
  }

  #empty(): Invalidation {
    return { origin: this.id, keys: [], tags: [], clear: false };
  }

  /** Leaves `live`: every entry held near is capped at the short bound from now. */
  #degrade(state: Exclude<CoherenceState, 'live' | 'off'>): void {
    if (this.#state === 'off') return;
    const wasLive = this.#state === 'live';
    this.#state = state;
    if (wasLive) for (const { target } of this.#members) target.capTtl(this.shortTtlMs);
  }

  #turnOff(error: unknown, operation: string): void {
    if (this.#state === 'off') return;
    this.#degrade('reconnecting');
    this.#state = 'off';
    this.#stop();
    this.#report(error, operation);
  }

  #report(error: unknown, operation: string): void {
    for (const { onError } of this.#members) {
      try {
        onError(error, operation);
      } catch {
        // Reporting never disturbs the bus.
      }
    }
  }
}

/** Topics answers that waiting cannot fix: a key without topic rights, no such cache, throttled. */
function refusesTopics(error: unknown): boolean {
  return (
    error instanceof PermissionError ||
    error instanceof AuthenticationError ||
    error instanceof CacheNotFoundError ||
    error instanceof LimitExceededError ||
    error instanceof BadRequestError ||
    (error instanceof MomentoError && !error.retryable && error.status !== undefined)
  );
}
