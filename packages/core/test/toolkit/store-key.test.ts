import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/client/errors';
import { sha256, toHex } from '../../src/toolkit/sha256';
import { isHashedStoreKey, MAX_PLAIN_KEY_BYTES, storeKey } from '../../src/toolkit/store-key';

const nodeSha = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

describe('sha256', () => {
  it('matches node:crypto at every padding boundary and for UTF-8 strings', () => {
    for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000, 4097]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 255);
      expect(toHex(sha256(bytes)), `length ${n}`).toBe(nodeSha(bytes));
    }
    expect(toHex(sha256('héllo ✓ 😀'))).toBe(nodeSha('héllo ✓ 😀'));
    expect(toHex(sha256('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

describe('storeKey', () => {
  it('keeps keys up to the threshold (in UTF-8 bytes) as they are', () => {
    expect(storeKey('user:42')).toBe('user:42');
    const atLimit = 'é'.repeat(MAX_PLAIN_KEY_BYTES / 2); // 2 bytes per character
    expect(storeKey(atLimit)).toBe(atLimit);
  });

  it('hashes keys over the threshold to "\\0#" + hex SHA-256', () => {
    const long = 'é'.repeat(MAX_PLAIN_KEY_BYTES / 2 + 1); // 514 characters, 1026 bytes
    expect(storeKey(long)).toBe(`\u0000#${nodeSha(long)}`);
    expect(isHashedStoreKey(storeKey(long))).toBe(true);
    expect(isHashedStoreKey(storeKey('short'))).toBe(false);
    expect(storeKey('x'.repeat(MAX_PLAIN_KEY_BYTES + 1))).toHaveLength(66);
  });

  it('is one-to-one: no plain key can equal a hashed one', () => {
    const long = 'q'.repeat(2000);
    const lookalike = `\u0000#${nodeSha(long)}`; // a short key spelling out the digest
    expect(storeKey(lookalike)).toBe(`\u0000${lookalike}`);
    expect(storeKey(lookalike)).not.toBe(storeKey(long));
    expect(isHashedStoreKey(storeKey(lookalike))).toBe(false);
    expect(new Set(['\u0000', '\u0000\u0000', '\u0000a', 'a'].map(storeKey)).size).toBe(4);
  });

  it('refuses a long key with a lone surrogate (no UTF-8 form to hash)', () => {
    expect(() => storeKey(`${'x'.repeat(2000)}\uD800`)).toThrow(InvalidArgumentError);
  });
});
