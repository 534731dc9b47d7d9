import { describe, expect, it } from 'vitest';
import { fromBase64, keyQuery, namePath, objectKeyPath, toBase64Url } from '../../src/client/keys';
import { InvalidArgumentError } from '../../src/index';

describe('key encoding', () => {
  it('URL-safe strings go as key=, unescaped', () => {
    expect(keyQuery('abc-DEF_1.2~3')).toBe('key=abc-DEF_1.2~3');
  });

  it('other strings go as unpadded base64url of their UTF-8', () => {
    const q = keyQuery('a b&c=d?e#f/g+h%i');
    expect(q.startsWith('key_base64=')).toBe(true);
    expect(q).not.toMatch(/[=+/]$/);
    const encoded = q.slice('key_base64='.length);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(new TextDecoder().decode(fromBase64(encoded))).toBe('a b&c=d?e#f/g+h%i');
    expect(keyQuery('example_key')).toBe('key=example_key');
    expect(toBase64Url(new TextEncoder().encode('example_key'))).toBe('ZXhhbXBsZV9rZXk');
  });

  it('bytes always go as key_base64, matching the platform encoder for every length', () => {
    for (let n = 1; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 13) & 255);
      const expected = btoa(String.fromCharCode(...bytes))
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
        .replace(/=+$/, '');
      expect(keyQuery(bytes)).toBe(`key_base64=${expected}`);
    }
  });

  it('refuses empty keys, lone surrogates and non-key types', () => {
    expect(() => keyQuery('')).toThrow(InvalidArgumentError);
    expect(() => keyQuery(new Uint8Array(0))).toThrow(InvalidArgumentError);
    expect(() => keyQuery('\ud800x')).toThrow(/lone surrogate/);
    expect(() => keyQuery(42 as unknown as string)).toThrow(InvalidArgumentError);
  });

  it('validates and escapes names', () => {
    expect(namePath('my cache/1')).toBe('my%20cache%2F1');
    expect(() => namePath('')).toThrow(InvalidArgumentError);
    expect(() => namePath('x'.repeat(256))).toThrow(/255/);
    expect(() => namePath('a\nb')).toThrow(/control/);
    expect(() => namePath(' padded')).toThrow(InvalidArgumentError);
    expect(() => namePath('..')).toThrow(InvalidArgumentError);
  });

  it('object keys keep / between escaped segments and refuse dot segments', () => {
    expect(objectKeyPath('a/b c/%')).toBe('a/b%20c/%25');
    expect(() => objectKeyPath('a/../b')).toThrow(InvalidArgumentError);
    expect(() => objectKeyPath('')).toThrow(InvalidArgumentError);
  });
});
