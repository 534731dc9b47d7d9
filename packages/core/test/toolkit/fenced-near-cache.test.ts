import { describe, expect, it } from 'vitest';
import { FencedNearCache } from '../../src/toolkit/fenced-near-cache';
import { WriteFence } from '../../src/toolkit/write-fence';

const clock = () => {
  const c = { t: 1000, now: () => c.t };
  return c;
};

describe('WriteFence', () => {
  it('lets a read fill only when no write of its key began or ended since', () => {
    const fence = new WriteFence();
    const before = fence.beginRead();
    const write = fence.beginWrite('k');
    expect(fence.mayFill('k', before)).toBe(false);
    expect(fence.mayFill('other', before)).toBe(true);
    const during = fence.beginRead();
    const later = fence.beginWrite('k');
    expect(fence.endWrite('k', write)).toBe(false); // a newer write started: this one may not keep its value
    expect(fence.mayFill('k', during)).toBe(false);
    expect(fence.endWrite('k', later)).toBe(true);
    expect(fence.mayFill('k', fence.beginRead())).toBe(true);
  });

  it('past its bound forgets the oldest key and refuses every read that began before its last write', () => {
    const fence = new WriteFence(2);
    const before = fence.beginRead();
    fence.beginWrite('a');
    fence.mark('b');
    fence.beginWrite('c'); // overflow
    expect(fence.mayFill('zzz', before)).toBe(false);
    expect(fence.mayFill('a', fence.beginRead())).toBe(true);
  });
});

describe('FencedNearCache', () => {
  it('a hit is synchronous and returns the held object itself (no copy, no decode)', () => {
    const near = new FencedNearCache<{ v: number }>();
    const entry = { v: 1 };
    near.fill('k', entry, near.beginRead());
    expect(near.get('k')).toBe(entry);
  });

  it('a read that began before a write never fills the older value', () => {
    const near = new FencedNearCache<string>();
    const read = near.beginRead(); // read goes out, sees "old"
    const write = near.beginWrite('k', 'new');
    expect(near.get('k')).toBe('new'); // served at once: read-your-writes
    expect(near.fill('k', 'old', read)).toBe(false);
    near.endWrite('k', write, 'new');
    expect(near.get('k')).toBe('new');
  });

  it('a read in flight while a write was in flight may not fill after it ends', () => {
    const near = new FencedNearCache<string>();
    const write = near.beginWrite('k', 'new');
    const read = near.beginRead();
    near.endWrite('k', write, 'new');
    expect(near.fill('k', 'maybe-old', read)).toBe(false);
    expect(near.get('k')).toBe('new');
  });

  it('a failed write or a delete leaves nothing; only the newest write decides', () => {
    const near = new FencedNearCache<string>();
    const first = near.beginWrite('k', 'v1');
    const second = near.beginWrite('k', 'v2');
    near.endWrite('k', first, undefined); // the older one failed: the newer one stays
    expect(near.get('k')).toBe('v2');
    near.endWrite('k', second, undefined); // the newest failed: the store may hold anything
    expect(near.get('k')).toBeUndefined();
    const del = near.beginWrite('k');
    near.endWrite('k', del, undefined);
    expect(near.get('k')).toBeUndefined();
  });

  it('an entry lives at most ttlMs from when its read started, and never past its own ttl', () => {
    const c = clock();
    const near = new FencedNearCache<string>({ ttlMs: 1000, now: c.now });
    const started = near.now();
    c.t += 600; // a slow read
    near.fill('k', 'v', near.beginRead(), { startedAt: started });
    c.t += 399;
    expect(near.get('k')).toBe('v');
    c.t += 1;
    expect(near.get('k')).toBeUndefined();
    near.fill('short', 'v', near.beginRead(), { ttlMs: 50 });
    c.t += 50;
    expect(near.get('short')).toBeUndefined();
  });

  it('invalidate, clear and capTtl: the hooks a coherence layer needs', () => {
    const c = clock();
    const near = new FencedNearCache<string>({ ttlMs: 30_000, now: c.now });
    near.fill('a', 'a', near.beginRead());
    near.fill('b', 'b', near.beginRead());
    const inFlight = near.beginRead();
    near.invalidate(['a']);
    expect(near.get('a')).toBeUndefined();
    expect(near.fill('a', 'old', inFlight)).toBe(false);
    near.capTtl(100);
    c.t += 100;
    expect(near.get('b')).toBeUndefined();
    near.fill('c', 'c', near.beginRead());
    const beforeClear = near.beginRead();
    near.clear();
    expect(near.size).toBe(0);
    expect(near.fill('d', 'old', beforeClear)).toBe(false);
  });

  it('keeps the byte bound with decoded sizes', () => {
    const near = new FencedNearCache<string>({ maxBytes: 4096 });
    for (let i = 0; i < 100; i++) near.fill(`k${i}`, 'x'.repeat(500), near.beginRead());
    expect(near.bytes).toBeLessThanOrEqual(4096);
    expect(near.get('k99')).toBe('x'.repeat(500));
    expect(near.get('k0')).toBeUndefined();
  });
});
