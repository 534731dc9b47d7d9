import { describe, expect, it } from 'vitest';
import { keyId } from '../../src/toolkit/keys';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('keyId', () => {
  it('gives a string key and its UTF-8 bytes the same id', () => {
    for (const key of ['a', 'ké', '日本', '🙂', '\uFEFFbom', '']) {
      expect(keyId(utf8(key))).toBe(keyId(key));
    }
  });

  it('normalises lone surrogates as the wire does', () => {
    expect(keyId('a\uD800')).toBe(keyId('a\uFFFD'));
  });

  it('keeps non-UTF-8 byte keys apart from every string key', () => {
    const raw = new Uint8Array([0xff, 0x00]);
    const id = keyId(raw);
    expect(id).not.toBe(keyId('\u00ff\u0000'));
    expect(id).not.toBe(keyId('\uDC00\u00ff\u0000'));
    expect(keyId(new Uint8Array([0xff, 0x01]))).not.toBe(id);
  });
});
