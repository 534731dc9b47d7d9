import { describe, expect, it } from 'vitest';
import { decodeEntry, encodeEntry, forbidsStoring, storableHeaders } from '../src/http-entry';

describe('http entries', () => {
  it('drops Set-Cookie, hop-by-hop and recomputed headers; stringifies the rest', () => {
    expect(
      storableHeaders({
        'Set-Cookie': ['a=1'],
        connection: 'keep-alive',
        'content-length': 12,
        date: 'x',
        'x-cache': 'MISS',
        'X-Custom': 'kept',
        'x-count': 3,
        link: ['<a>', '<b>'],
        'x-undefined': undefined,
      }),
    ).toEqual({ 'x-custom': 'kept', 'x-count': '3', link: ['<a>', '<b>'] });
  });

  it('refuses no-store, private and Vary: *', () => {
    expect(forbidsStoring({ 'cache-control': 'no-store' })).toBe(true);
    expect(forbidsStoring({ 'cache-control': 'public, private' })).toBe(true);
    expect(forbidsStoring({ 'cache-control': 'private="set-cookie"' })).toBe(true);
    expect(forbidsStoring({ vary: 'Accept, *' })).toBe(true);
    expect(forbidsStoring({ 'cache-control': 'public, max-age=60', vary: 'accept-encoding' })).toBe(
      false,
    );
    expect(forbidsStoring({ 'cache-control': 'no-storey' })).toBe(false);
  });

  it('round-trips an entry with Dates and Buffers, and rejects foreign bytes', async () => {
    const entry = {
      status: 203,
      headers: { 'x-a': 'b' },
      value: { at: new Date(5), bytes: Buffer.from([1, 2]), text: 'é' },
      storedAt: 1,
      expiresAt: 2,
      tags: ['t'],
    };
    expect(await decodeEntry(await encodeEntry(entry))).toEqual(entry);
    await expect(decodeEntry(new TextEncoder().encode('{"value":1}'))).rejects.toThrow();
  });
});
