/** Reading the topics answer, and the reconnect backoff: pure functions, no server needed. */
import { describe, expect, it } from 'vitest';
import { MalformedTopicAnswerError, parseTopicAnswer } from '../../src/client/topic-wire';
import { reconnectDelayMs } from '../../src/client/topics';

const bytes = (value: unknown) =>
  new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

describe('parseTopicAnswer', () => {
  it("reads the reference's example, discontinuity first", () => {
    const events = parseTopicAnswer(
      bytes({
        items: [
          {
            discontinuity: {
              last_topic_sequence: 100,
              new_topic_sequence: 104,
              new_sequence_page: 1748358253,
            },
          },
          {
            item: {
              topic_sequence_number: 104,
              sequence_page: 1748358253,
              value: { text: 'hello world' },
            },
          },
          {
            item: {
              topic_sequence_number: 105,
              sequence_page: 1748358253,
              value: { binary: 'AAH/' },
            },
          },
        ],
      }),
    );
    expect(events).toEqual([
      {
        kind: 'discontinuity',
        lastSequenceNumber: 100,
        newSequenceNumber: 104,
        newSequencePage: 1748358253,
      },
      { kind: 'item', value: 'hello world', sequenceNumber: 104, sequencePage: 1748358253 },
      {
        kind: 'item',
        value: new Uint8Array([0, 1, 255]),
        sequenceNumber: 105,
        sequencePage: 1748358253,
      },
    ]);
    expect(parseTopicAnswer(bytes({ items: [] }))).toEqual([]);
  });

  it('refuses, with a typed retryable error, anything outside those shapes', () => {
    const bad = [
      'not json',
      { nothing: [] },
      { items: [{ item: { topic_sequence_number: 0, sequence_page: 1, value: { json: 1 } } }] },
      { items: [{ item: { topic_sequence_number: -1, sequence_page: 1, value: { text: '' } } }] },
      {
        items: [{ item: { topic_sequence_number: 0, sequence_page: 1, value: { binary: '@@' } } }],
      },
      { items: [{ other: {} }] },
      { items: [null] },
    ];
    for (const body of bad) {
      let caught: unknown;
      try {
        parseTopicAnswer(bytes(body));
      } catch (error) {
        caught = error;
      }
      expect(caught, JSON.stringify(body)).toBeInstanceOf(MalformedTopicAnswerError);
      expect((caught as MalformedTopicAnswerError).retryable).toBe(true);
    }
  });
});

describe('reconnectDelayMs', () => {
  it('doubles from 100 ms to a 30 s cap, jittered between half and all of the step', () => {
    expect(reconnectDelayMs(0, () => 0)).toBe(50);
    expect(reconnectDelayMs(0, () => 1)).toBe(100);
    expect(reconnectDelayMs(3, () => 0)).toBe(400);
    expect(reconnectDelayMs(30, () => 1)).toBe(30_000);
    expect(reconnectDelayMs(30, () => 0)).toBe(15_000);
  });
});
