import { RecordingStore } from '@momento-http/test-kit';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/toolkit/memory-store';
import { withNearCache } from '../../src/toolkit/with-near-cache';
import { deferred, text } from './helpers';

describe('withNearCache', () => {
  it('serves repeated reads from memory and copies values out', async () => {
    const inner = new RecordingStore(createMemoryStore());
    await inner.set('k', 'v1');
    const store = withNearCache(inner);
    const first = await store.get('k');
    first![0] = 0x7a;
    expect(text(await store.get('k'))).toBe('v1');
    expect(text(await store.get(new TextEncoder().encode('k')))).toBe('v1'); // same key as bytes
    expect(inner.gets).toHaveLength(1);
  });

  it('does not cache misses', async () => {
    const inner = new RecordingStore(createMemoryStore());
    const store = withNearCache(inner);
    expect(await store.get('k')).toBeUndefined();
    expect(await store.get('k')).toBeUndefined();
    expect(inner.gets).toHaveLength(2);
  });

  it('writes and deletes through the wrapper update the near entry', async () => {
    const inner = new RecordingStore(createMemoryStore());
    const store = withNearCache(inner);
    await store.set('k', 'v1');
    expect(text(await store.get('k'))).toBe('v1');
    expect(inner.gets).toHaveLength(0); // filled by the write
    await store.set('k', new Uint8Array([1, 2]));
    expect(await store.get('k')).toEqual(new Uint8Array([1, 2]));
    await store.delete('k');
    expect(await store.get('k')).toBeUndefined();
    expect(store.near.size).toBe(0);
  });

  it('expires near entries after ttlMs and never outlives the written ttlSeconds', async () => {
    let t = 0;
    const now = () => t;
    const inner = new RecordingStore(createMemoryStore('c', { now }));
    const store = withNearCache(inner, { ttlMs: 5000, now });
    await store.set('short', 'x', { ttlSeconds: 1 });
    t = 1000;
    expect(await store.get('short')).toBeUndefined();
    expect(inner.gets).toHaveLength(1);
  });

  it('a read in flight across a write does not fill the near cache with the older value', async () => {
    const inner = new RecordingStore(createMemoryStore());
    const store = withNearCache(inner);
    await inner.set('k', 'old');
    const gate = deferred();
    const release = inner.rule({ method: 'get', at: 'response', until: gate.promise });
    const staleRead = store.get('k'); // reads 'old', then waits at the gate
    await new Promise((r) => setImmediate(r));
    release();
    await store.delete('k');
    gate.resolve();
    expect(text(await staleRead)).toBe('old');
    expect(await store.get('k')).toBeUndefined();
  });

  it('a failed write drops the near entry', async () => {
    const store = withNearCache(createMemoryStore('c', { maxItemBytes: 10 }));
    await store.set('k', 'small');
    await expect(store.set('k', 'x'.repeat(20))).rejects.toThrow(/too large/);
    expect(store.near.get('k')).toBeUndefined();
    expect(text(await store.get('k'))).toBe('small');
  });
});
