import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/client/errors';
import { NearCache } from '../../src/toolkit/near-cache';

const bytes = (n: number) => new Uint8Array(n);

describe('NearCache', () => {
  it('serves entries until their TTL, then misses', () => {
    let t = 0;
    const near = new NearCache({ ttlMs: 100, now: () => t });
    near.set('a', bytes(1));
    near.set('b', bytes(1), 30);
    near.set('c', bytes(1), 1000); // capped to the cache's own TTL
    t = 29;
    expect(near.get('b')).toBeDefined();
    t = 30;
    expect(near.get('b')).toBeUndefined();
    t = 99;
    expect(near.get('a')).toBeDefined();
    t = 100;
    expect(near.get('a')).toBeUndefined();
    expect(near.get('c')).toBeUndefined();
  });

  it('evicts least recently used entries to stay within the byte bound', () => {
    // Each entry costs 1000 bytes + 2 (key) + 64 overhead = 1066.
    const near = new NearCache({ maxBytes: 3 * 1066 });
    near.set('a', bytes(1000));
    near.set('b', bytes(1000));
    near.set('c', bytes(1000));
    expect(near.get('a')).toBeDefined(); // a is now most recent; b is the LRU
    near.set('d', bytes(1000));
    expect(near.get('b')).toBeUndefined();
    expect([near.get('a'), near.get('c'), near.get('d')].every(Boolean)).toBe(true);
    expect(near.bytes).toBe(3 * 1066);
    expect(near.size).toBe(3);
  });

  it('never keeps a value larger than the bound, and drops the older value for that key', () => {
    const near = new NearCache({ maxBytes: 500 });
    near.set('k', bytes(10));
    near.set('k', bytes(1000));
    expect(near.get('k')).toBeUndefined();
    expect(near.bytes).toBe(0);
  });

  it('replacing, deleting and clearing keep the byte count exact', () => {
    const near = new NearCache<string>({ sizeOf: (v) => v.length });
    near.set('k', 'aaaa');
    near.set('k', 'bb');
    expect(near.bytes).toBe(2 + 2 + 64);
    near.delete('k');
    near.delete('k');
    expect(near.bytes).toBe(0);
    near.set('x', 'y');
    near.clear();
    expect(near.size).toBe(0);
    expect(near.bytes).toBe(0);
  });

  it('treats a zero TTL as "do not cache" and validates options', () => {
    const near = new NearCache({ ttlMs: 0 });
    near.set('k', bytes(1));
    expect(near.get('k')).toBeUndefined();
    expect(() => new NearCache({ maxBytes: -1 })).toThrow(InvalidArgumentError);
    expect(() => new NearCache({ ttlMs: Number.NaN })).toThrow(InvalidArgumentError);
  });
});
