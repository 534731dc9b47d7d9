/** Reads the topics long-poll answer (`{"items":[{"item":…},{"discontinuity":…}]}`). */
import { MomentoError } from './errors';
import type { TopicEvent } from './topic-types';

const decoder = new TextDecoder();

/** An answer the client could not read: reported, then polled again after a backoff. */
export class MalformedTopicAnswerError extends MomentoError {
  override name = 'MalformedTopicAnswerError';
  protected static override readonly defaults = { code: 'UNKNOWN', retryable: true } as const;
}

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/**
 * The events of one answer, in order. Throws `MalformedTopicAnswerError` for anything outside the
 * reference's shapes (a value neither `text` nor `binary` included): never a crash, never a guess.
 */
export function parseTopicAnswer(body: Uint8Array): TopicEvent[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(body));
  } catch {
    throw new MalformedTopicAnswerError('Topic answer is not JSON');
  }
  const items = (parsed as { items?: unknown } | null)?.items;
  if (!Array.isArray(items)) throw new MalformedTopicAnswerError('Topic answer has no items list');
  return items.map(parseElement);
}

function parseElement(element: unknown): TopicEvent {
  const { item, discontinuity } = (element ?? {}) as { item?: unknown; discontinuity?: unknown };
  if (item && typeof item === 'object') {
    const {
      topic_sequence_number: number,
      sequence_page: page,
      value,
    } = item as Record<string, unknown>;
    if (isCount(number) && isCount(page))
      return { kind: 'item', value: parseValue(value), sequenceNumber: number, sequencePage: page };
  }
  if (discontinuity && typeof discontinuity === 'object') {
    const d = discontinuity as Record<string, unknown>;
    const last = d.last_topic_sequence;
    if (
      typeof last === 'number' &&
      Number.isSafeInteger(last) &&
      isCount(d.new_topic_sequence) &&
      isCount(d.new_sequence_page)
    ) {
      return {
        kind: 'discontinuity',
        lastSequenceNumber: last,
        newSequenceNumber: d.new_topic_sequence,
        newSequencePage: d.new_sequence_page,
      };
    }
  }
  throw new MalformedTopicAnswerError(
    'Topic answer holds an element that is neither item nor discontinuity',
  );
}

function parseValue(value: unknown): string | Uint8Array {
  const { text, binary } = (value ?? {}) as { text?: unknown; binary?: unknown };
  if (typeof text === 'string') return text;
  if (typeof binary === 'string') {
    try {
      return Uint8Array.from(atob(binary), (c) => c.charCodeAt(0));
    } catch {
      throw new MalformedTopicAnswerError('Topic item has a binary value that is not base64');
    }
  }
  throw new MalformedTopicAnswerError('Topic item value is neither text nor binary');
}
