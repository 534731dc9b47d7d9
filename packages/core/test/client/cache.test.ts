/** The cache data plane against the real local server, over both transports. */
import { useLocalServer } from '@momento-http/test-kit';
import { describe, expect, it } from 'vitest';
import { undiciTransport } from '../../src/client/undici-transport';
import { DEFAULT_MAX_ITEM_BYTES, fetchTransport, type Transport } from '../../src/index';
import { bytes, sameBytes, text } from './helpers';

const t = useLocalServer();
const transports: [string, () => Transport][] = [
  ['fetch', () => fetchTransport()],
  ['undici', () => undiciTransport()],
];

describe.each(transports)('cache get / set / delete over %s', (_name, makeTransport) => {
  const client = () => t.client({ transport: makeTransport() });

  it('set then get returns the bytes; a miss is undefined; delete removes; delete of a miss succeeds', async () => {
    const c = client();
    expect(await c.get('default-cache', 'missing-key')).toBeUndefined();
    await c.set('default-cache', 'k1', 'hello', { ttlSeconds: 60 });
    const value = await c.get('default-cache', 'k1');
    expect(value).toBeInstanceOf(Uint8Array);
    expect(text(value)).toBe('hello');
    await c.delete('default-cache', 'k1');
    expect(await c.get('default-cache', 'k1')).toBeUndefined();
    await expect(c.delete('default-cache', 'k1')).resolves.toBeUndefined();
  });

  it('client.cache(name) is a CacheStore with the same data', async () => {
    const c = client();
    const store = c.cache('default-cache');
    expect(store.cacheName).toBe('default-cache');
    expect(c.cache('default-cache')).toBe(store);
    await store.set('via-store', 'v');
    expect(text(await c.get('default-cache', 'via-store'))).toBe('v');
  });

  it('round-trips values of 0 bytes, all 256 byte values, and up to 5 MB (minus the key)', async () => {
    const c = client();
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const sizes = [0, 1, 2, 3, 255, 65_536, 1_000_000];
    for (const size of sizes) {
      const value = bytes(size, size + 7);
      await c.set('default-cache', `size-${size}`, value);
      const back = await c.get('default-cache', `size-${size}`);
      expect(back?.length).toBe(size);
      expect(sameBytes(back, value)).toBe(true);
    }
    await c.set('default-cache', 'all-bytes', all);
    expect(await c.get('default-cache', 'all-bytes')).toEqual(all);
    const key = 'big';
    const big = bytes(DEFAULT_MAX_ITEM_BYTES - key.length, 99); // the server's limit: key + value <= 5 MB
    await c.set('default-cache', key, big);
    const back = await c.get('default-cache', key);
    expect(back?.length).toBe(big.length);
    expect(sameBytes(back, big)).toBe(true);
  }, 30_000);

  it('keys: unicode, reserved URL characters, all 256 byte values, and string vs bytes are distinct', async () => {
    const c = client();
    const keys: (string | Uint8Array)[] = [
      'ключ-🔑-鍵',
      'a&b=c?d#e/f+g%h i',
      '%2F',
      '+',
      '..',
      'key_base64=abc',
      ' ',
      Uint8Array.from({ length: 256 }, (_, i) => i),
      new Uint8Array([0]),
      new Uint8Array([255, 254]),
    ];
    for (const [i, key] of keys.entries()) await c.set('default-cache', key, `value-${i}`);
    for (const [i, key] of keys.entries()) {
      expect(text(await c.get('default-cache', key)), String(key)).toBe(`value-${i}`);
    }
    // The string 'abc' and its UTF-8 bytes name the same item: keys are bytes on the server.
    await c.set('default-cache', 'abc', 'as-string');
    expect(text(await c.get('default-cache', new TextEncoder().encode('abc')))).toBe('as-string');
  });

  it('strings are stored as UTF-8', async () => {
    const c = client();
    await c.set('default-cache', 'utf8', 'héllo ✓ 🎉');
    expect(await c.get('default-cache', 'utf8')).toEqual(new TextEncoder().encode('héllo ✓ 🎉'));
  });
});
