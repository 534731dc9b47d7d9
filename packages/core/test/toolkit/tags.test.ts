import { RecordingStore } from '@momento-http/test-kit';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/client/errors';
import type { CacheStore } from '../../src/contract';
import { createMemoryStore } from '../../src/toolkit/memory-store';
import { isExpiredByTags, isStaleByTags, TagStateError, TagStore } from '../../src/toolkit/tags';

function setup(options: ConstructorParameters<typeof TagStore>[1] = {}) {
  const clock = { t: 1_000_000 };
  const now = () => clock.t;
  const memory = createMemoryStore('c', { now });
  const recorded = new RecordingStore(memory);
  const tags = new TagStore(recorded, { now, ...options });
  return { clock, memory, recorded, tags };
}

describe('TagStore', () => {
  it('an immediate invalidation expires entries created before it', async () => {
    const { clock, tags } = setup();
    await tags.invalidate(['a']);
    const t = clock.t;
    expect(await tags.read(['a', 'never'])).toEqual(new Map([['a', { stale: t, expired: t }]]));
    expect(await tags.areTagsExpired(['a'], t - 1)).toBe(true);
    expect(await tags.areTagsExpired(['a'], t)).toBe(true); // the same millisecond counts against the entry
    expect(await tags.areTagsExpired(['a'], t + 1)).toBe(false); // created after the invalidation
    expect(await tags.areTagsStale(['a'], t - 1)).toBe(true);
    expect(await tags.areTagsExpired(['never'], 0)).toBe(false);
    expect(await tags.areTagsStale(['never'], 0)).toBe(false);
  });

  it('a deferred invalidation makes entries stale now and expired later', async () => {
    const { clock, tags } = setup();
    const created = clock.t - 5;
    await tags.invalidate(['p'], { expireInSeconds: 60 });
    expect(await tags.areTagsStale(['p'], created)).toBe(true);
    expect(await tags.areTagsExpired(['p'], created)).toBe(false);
    expect(await tags.areTagsExpired(['p'], created, clock.t + 59_999)).toBe(false);
    clock.t += 60_000;
    expect(await tags.areTagsExpired(['p'], created)).toBe(true);
  });

  it('never pushes an expiry that is in effect, or sooner, to later', async () => {
    const { clock, tags } = setup();
    await tags.invalidate(['x']); // expired at t1
    const t1 = clock.t;
    clock.t += 1000;
    await tags.invalidate(['x'], { expireInSeconds: 31_536_000 }); // 'max' profile
    expect((await tags.read(['x'])).get('x')).toEqual({ stale: clock.t, expired: t1 });
    expect(await tags.areTagsExpired(['x'], t1 - 1)).toBe(true);

    await tags.invalidate(['y'], { expireInSeconds: 100 });
    const soon = clock.t + 100_000;
    await tags.invalidate(['y'], { expireInSeconds: 500 });
    expect((await tags.read(['y'])).get('y')?.expired).toBe(soon);
    clock.t += 10;
    await tags.invalidate(['y']); // immediate wins over a pending expiry
    expect((await tags.read(['y'])).get('y')?.expired).toBe(clock.t);
  });

  it('one key per tag, written concurrently within the limit', async () => {
    const memory = createMemoryStore();
    let active = 0;
    let peak = 0;
    const slow: CacheStore = {
      ...memory,
      cacheName: 'c',
      get: memory.get,
      delete: memory.delete,
      async set(key, value, opts) {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
        return memory.set(key, value, opts);
      },
    };
    const tags = new TagStore(slow, { concurrency: 3 });
    await tags.invalidate(['t1', 't2', 't3', 't4', 't5', 't1']);
    expect(peak).toBe(3);
    const keys = memory.keys().map((k) => new TextDecoder().decode(k));
    expect(keys.sort()).toEqual([
      '__tag__|t1',
      '__tag__|t2',
      '__tag__|t3',
      '__tag__|t4',
      '__tag__|t5',
    ]);
  });

  it('one read() can be checked for both expiry and staleness', async () => {
    const { clock, recorded, tags } = setup();
    await tags.invalidate(['a'], { expireInSeconds: 10 });
    recorded.forget();
    const states = (await tags.read(['a', 'b'])).values();
    const list = [...states];
    expect(recorded.gets).toHaveLength(2);
    expect(isStaleByTags(list, clock.t - 1)).toBe(true);
    expect(isExpiredByTags(list, clock.t - 1, clock.t)).toBe(false);
    expect(isExpiredByTags(list, clock.t - 1, clock.t + 10_000)).toBe(true);
    expect(isExpiredByTags([], 0)).toBe(false);
  });

  it('a tag key holding garbage rejects a read (the entry must miss) and is repaired by the next invalidation', async () => {
    const { memory, tags } = setup();
    await memory.set('__tag__|g', '{"stale":1');
    await expect(tags.read(['g'])).rejects.toThrow(TagStateError);
    await tags.invalidate(['g']);
    expect((await tags.read(['g'])).has('g')).toBe(true);
  });

  it('no tags, no requests', async () => {
    const { recorded, tags } = setup();
    expect(await tags.areTagsExpired([], 0)).toBe(false);
    expect(await tags.areTagsStale([], 0)).toBe(false);
    await tags.invalidate([]);
    expect(recorded.gets.length + recorded.sets.length).toBe(0);
  });

  it('tag keys live ttlSeconds and use the prefix', async () => {
    const { clock, memory, tags } = setup({ prefix: 'app:tag:', ttlSeconds: 120 });
    await tags.invalidate(['a']);
    expect(await memory.get('app:tag:a')).toBeDefined();
    clock.t += 120_000;
    expect((await tags.read(['a'])).size).toBe(0);
  });

  it('refuses records that are not tag states (an entry they cover must miss, not pass as fresh)', async () => {
    const { memory, tags } = setup();
    await memory.set('__tag__|junk', 'not json');
    await memory.set('__tag__|null', 'null');
    await memory.set('__tag__|half', '{"stale": 1}');
    for (const tag of ['junk', 'null', 'half']) {
      await expect(tags.read([tag])).rejects.toThrow(TagStateError);
    }
  });

  it('a failed write rejects the invalidation; bad input is refused', async () => {
    const memory = createMemoryStore('c', { maxItemBytes: 30 });
    const tags = new TagStore(memory);
    await expect(tags.invalidate(['a-tag-long-enough-to-overflow'])).rejects.toThrow(/too large/);
    await expect(tags.invalidate(['a'], { expireInSeconds: -1 })).rejects.toThrow(
      InvalidArgumentError,
    );
    expect(() => new TagStore(memory, { ttlSeconds: 0 })).toThrow(InvalidArgumentError);
  });
});
