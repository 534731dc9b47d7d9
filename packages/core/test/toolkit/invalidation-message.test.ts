import { describe, expect, it } from 'vitest';
import {
  decodeInvalidation,
  encodeInvalidations,
  MAX_INVALIDATION_MESSAGE_CHARS,
  MalformedInvalidationError,
} from '../../src/toolkit/invalidation-message';

const change = (keys: string[] = [], tags: string[] = [], clear = false) => ({
  origin: 'abc123',
  keys,
  tags,
  clear,
});

describe('invalidation messages', () => {
  it('round-trips keys, tags and a clear in one compact message', () => {
    const messages = encodeInvalidations(change(['a', 'b\u0000#ff'], ['t'], true));
    expect(messages).toEqual(['{"v":1,"o":"abc123","k":["a","b\\u0000#ff"],"t":["t"],"c":1}']);
    expect(decodeInvalidation(messages[0]!)).toEqual(change(['a', 'b\u0000#ff'], ['t'], true));
  });

  it('a change with nothing in it is one heartbeat message', () => {
    const [heartbeat, ...rest] = encodeInvalidations(change());
    expect(rest).toEqual([]);
    expect(decodeInvalidation(heartbeat!)).toEqual(change());
  });

  it('splits a change too large for one message, keeping every key and the clear once', () => {
    const keys = Array.from({ length: 3000 }, (_, i) => `key-${i}-${'x'.repeat(40)}`);
    const messages = encodeInvalidations(change(keys, ['t1'], true));
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(m.length).toBeLessThanOrEqual(MAX_INVALIDATION_MESSAGE_CHARS);
    const decoded = messages.map(decodeInvalidation);
    expect(decoded.flatMap((m) => m.keys)).toEqual(keys);
    expect(decoded.flatMap((m) => m.tags)).toEqual(['t1']);
    expect(decoded.filter((m) => m.clear)).toHaveLength(1);
  });

  it.each([
    ['binary', new Uint8Array([1, 2])],
    ['not JSON', '{"v":1,'],
    ['not an object', '[1]'],
    ['another version', '{"v":2,"o":"a"}'],
    ['no version', '{"o":"a"}'],
    ['no origin', '{"v":1}'],
    ['keys not strings', '{"v":1,"o":"a","k":[1]}'],
    ['tags not a list', '{"v":1,"o":"a","t":"x"}'],
    ['a clear flag of another kind', '{"v":1,"o":"a","c":"yes"}'],
  ])('refuses a message that is %s', (_what, value) => {
    expect(() => decodeInvalidation(value)).toThrow(MalformedInvalidationError);
  });
});
