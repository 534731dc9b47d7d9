/** The shapes of Momento Topics as the client hands them out. */
import type { CallOptions } from '../contract';
import type { MomentoError } from './errors';

/** A published message. `value` is a string for text messages, bytes for binary ones. */
export interface TopicItem {
  readonly kind: 'item';
  readonly value: string | Uint8Array;
  readonly sequenceNumber: number;
  readonly sequencePage: number;
}

/**
 * A gap: messages `lastSequenceNumber + 1 … newSequenceNumber - 1` (or a whole page, when the
 * topic was recreated or the server restarted) will never arrive. Whoever keeps copies fresh with
 * the topic must drop them all.
 */
export interface TopicDiscontinuity {
  readonly kind: 'discontinuity';
  readonly lastSequenceNumber: number;
  readonly newSequenceNumber: number;
  readonly newSequencePage: number;
}

export type TopicEvent = TopicItem | TopicDiscontinuity;

/** Where a subscription stands: the next sequence number it expects, in which page. */
export interface TopicPosition {
  sequenceNumber: number;
  sequencePage: number;
}

export interface SubscribeOptions {
  /** Ends the subscription: the iterator finishes (no error) and the poll in flight is cancelled. */
  signal?: AbortSignal;
  /** Resume after a known position (the next number expected, and its page). @default the start */
  resumeAt?: TopicPosition;
  /**
   * Deadline of one long poll; past it the client polls again (not an error). Longer than the
   * server's hold (the local server's default is 30 s). @default 65000
   */
  pollTimeoutMs?: number;
  /**
   * Called for each failure the subscription rides out: a connection error, a 5xx, a 429 (with
   * the client's `retryOn429`), an answer it could not read. `retryInMs` is the jittered backoff
   * before the next poll. Failures that cannot pass by waiting (401, 403, 404, 400) end the
   * iterator with that typed error instead.
   */
  onError?: (error: MomentoError, retryInMs: number) => void;
  /**
   * Background work (a near cache's coherence): the subscription never keeps a Node process
   * alive (its sockets, poll deadline and reconnect backoff are unref'd), so a process that is
   * otherwise done exits. Off by default: like any pending work, a subscription keeps the process
   * running while you iterate it. @default false
   */
  background?: boolean;
}

export type PublishOptions = CallOptions;
