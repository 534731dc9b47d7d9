/** CacheStats: one meaning of hits, misses, stale and bytes for every adapter. */
import { RecordingStore } from '@momento-http/test-kit';
import { describe, expect, it } from 'vitest';
import { CacheNotFoundError } from '../../src/client/errors';
import { CacheStats } from '../../src/toolkit/cache-stats';
import { EntryCache } from '../../src/toolkit/entry-cache';
import { createFailureReporter } from '../../src/toolkit/failure-report';
import { FencedNearCache } from '../../src/toolkit/fenced-near-cache';
import { createMemoryStore } from '../../src/toolkit/memory-store';
import { TagStates } from '../../src/toolkit/tag-states';
import { TaggedEntryReader } from '../../src/toolkit/tagged-entry-reader';
import { TagStore } from '../../src/toolkit/tags';
import { withStats } from '../../src/toolkit/with-stats';

interface Page {
  html: string;
  tags: string[];
  at: number;
}
const encode = (p: Page) => new TextEncoder().encode(JSON.stringify(p));
const decode = (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b)) as Page;

describe('CacheStats', () => {
  it('counts the engine’s reads: miss, store hit, near hit, stale; bytes only for real transfers', async () => {
    const stats = new CacheStats();
    const wire = new RecordingStore(createMemoryStore());
    const store = withStats(wire, stats);
    const entries = new EntryCache<Page>({ store, decode, near: new FencedNearCache<Page>() });
    const tags = new TagStates(new TagStore(store));
    const reader = new TaggedEntryReader<Page>({
      entries,
      tags,
      tagsOf: (p) => p.tags,
      createdAt: (p) => p.at,
    });
    const page: Page = { html: 'v', tags: ['t'], at: Date.now() - 10 };
    const bytes = encode(page);

    stats.recordRead(await reader.read('p')); // nothing there
    await reader.write('p', page, bytes);
    entries.forgetNear('p');
    stats.recordRead(await reader.read('p')); // from the store
    stats.recordRead(reader.peek('p') ?? (await reader.read('p'))); // from memory
    await tags.invalidate(['t'], { expireInSeconds: 60 });
    stats.recordRead(await reader.read('p')); // stale by its tag

    const written = wire.sets.reduce((sum, s) => sum + s.value.byteLength, 0);
    expect(stats.snapshot()).toEqual({
      hits: 2,
      misses: 1,
      stale: 1,
      errors: 0,
      nearHits: 1,
      bytesRead: expect.any(Number),
      bytesWritten: written,
    });
    expect(stats.snapshot().bytesRead).toBeGreaterThanOrEqual(bytes.byteLength);
  });

  it('withStats counts a value’s bytes read and written, strings as UTF-8, failed writes not at all', async () => {
    const stats = new CacheStats();
    const wire = new RecordingStore(createMemoryStore());
    const store = withStats(wire, stats);
    await store.set('k', 'héllo'); // 6 bytes in UTF-8
    await store.get('k');
    await store.get('absent');
    wire.rule({ method: 'set', fail: new Error('down') });
    await expect(store.set('k', 'lost')).rejects.toThrow('down');
    expect(stats.snapshot()).toMatchObject({ bytesRead: 6, bytesWritten: 6 });
  });

  it('a failure reporter counts every failure as an error, with or without onError', () => {
    const stats = new CacheStats();
    const error = new CacheNotFoundError('Cache Not Found', {
      method: 'GET',
      url: 'http://127.0.0.1:1/cache/stats-cache?key=k',
    });
    const quiet = createFailureReporter({ adapter: 'keyv', onError: () => {}, stats });
    const loud = createFailureReporter({ adapter: 'keyv', warn: () => {}, stats });
    quiet(error, 'get');
    loud(error, 'get');
    loud(error, 'get'); // printed once, counted twice
    expect(stats.snapshot().errors).toBe(3);
  });

  it('snapshot() is a copy; reset() starts again from zero', () => {
    const stats = new CacheStats();
    stats.count('misses', 2);
    const before = stats.snapshot();
    stats.count('misses');
    expect(before.misses).toBe(2);
    stats.reset();
    expect(Object.values(stats.snapshot())).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });
});
