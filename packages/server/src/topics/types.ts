/** What the topics protocol needs from a topic store (memory, or Redis Streams). */

/** One published message: its number in the topic's page, its bytes, and whether it was text. */
export interface TopicMessage {
  readonly sequenceNumber: number;
  readonly value: Buffer;
  readonly text: boolean;
}

/** Where a subscriber stands: the next sequence number it expects, in which page (0: none yet). */
export interface TopicPosition {
  readonly sequenceNumber: number;
  readonly sequencePage: number;
}

/** The answer to one long poll: a gap notice (messages the subscriber will never get), then messages. */
export interface TopicBatch {
  readonly page: number;
  readonly discontinuity?: { lastSequence: number; newSequence: number };
  readonly messages: readonly TopicMessage[];
}

export interface TopicStore {
  publish(cache: string, topic: string, value: Buffer, text: boolean): void | Promise<void>;
  /**
   * Resolves as soon as something is there for `from` (messages or a discontinuity), else an empty
   * batch when `wait` aborts (the long poll's bound, or the server closing).
   */
  read(cache: string, topic: string, from: TopicPosition, wait: AbortSignal): Promise<TopicBatch>;
  /** Subscriptions waiting right now (for /metrics). */
  readonly waiting: number;
  close(): Promise<void>;
}

/**
 * The shared rule for what a subscriber gets, given the topic's page and the oldest and next
 * sequence numbers it still holds. `undefined`: nothing yet, wait.
 *
 * - page 0 (a new subscriber): from the requested number, or the oldest retained if that is later;
 *   a new subscriber has nothing to miss, so no discontinuity.
 * - another page (server restart, topic evicted or recreated): discontinuity to the oldest retained.
 * - same page, asking for numbers already dropped from the buffer: discontinuity to the oldest.
 * - same page, asking for a number not yet published and beyond the next: discontinuity to next.
 */
export function startFor(
  from: TopicPosition,
  page: number,
  oldest: number,
  next: number,
): { start: number; gap?: { lastSequence: number; newSequence: number } } {
  const wanted = from.sequenceNumber;
  if (from.sequencePage === 0) return { start: Math.min(Math.max(wanted, oldest), next) };
  if (from.sequencePage !== page)
    return { start: oldest, gap: { lastSequence: wanted - 1, newSequence: oldest } };
  if (wanted < oldest)
    return { start: oldest, gap: { lastSequence: wanted - 1, newSequence: oldest } };
  if (wanted > next) return { start: next, gap: { lastSequence: wanted - 1, newSequence: next } };
  return { start: wanted };
}
