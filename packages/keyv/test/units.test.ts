// The pure pieces: the record header and the emitter that never throws.
import { describe, expect, it } from 'vitest';
import { SafeEmitter } from '../src/emitter';
import { decodeRecord, encodeRecord, isExpired } from '../src/record';

describe('record', () => {
  it('round-trips a value with and without a deadline', async () => {
    expect(await decodeRecord(await encodeRecord('{"a":"\\n"}\n', 1_700_000_000_123))).toEqual({
      value: '{"a":"\\n"}\n',
      deadline: 1_700_000_000_123,
    });
    expect(await decodeRecord(await encodeRecord('', undefined))).toEqual({
      value: '',
      deadline: undefined,
    });
  });

  it('refuses bytes it did not write', async () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    expect(await decodeRecord(bytes('plain value'))).toBeUndefined();
    expect(await decodeRecord(bytes('K12'))).toBeUndefined();
    expect(await decodeRecord(bytes('Kabc\nvalue'))).toBeUndefined();
  });

  it('expires strictly after the deadline, like Keyv', () => {
    const record = { value: 'v', deadline: 1000 };
    expect(isExpired(record, 1000)).toBe(false);
    expect(isExpired(record, 1001)).toBe(true);
    expect(isExpired({ value: 'v', deadline: undefined }, Number.MAX_SAFE_INTEGER)).toBe(false);
  });
});

describe('SafeEmitter', () => {
  it('emits to listeners in order; once() runs once; off() removes', () => {
    const emitter = new SafeEmitter();
    const seen: string[] = [];
    const a = (x: string) => seen.push(`a${x}`);
    emitter.on('e', a);
    emitter.once('e', (x: string) => seen.push(`b${x}`));
    expect(emitter.emit('e', '1')).toBe(true);
    emitter.emit('e', '2');
    emitter.off('e', a);
    expect(emitter.emit('e', '3')).toBe(false);
    expect(seen).toEqual(['a1', 'b1', 'a2']);
  });

  it("does not throw for 'error' without listeners, nor when a listener throws", () => {
    const emitter = new SafeEmitter();
    expect(() => emitter.emit('error', new Error('x'))).not.toThrow();
    const after: unknown[] = [];
    emitter.on('error', () => {
      throw new Error('listener failed');
    });
    emitter.on('error', (e) => after.push(e));
    expect(() => emitter.emit('error', 'boom')).not.toThrow();
    expect(after).toEqual(['boom']);
  });
});
