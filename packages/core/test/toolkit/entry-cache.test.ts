/** EntryCache: read-your-writes while writes are in flight, and the fenced near cache of decoded entries. */
import { RecordingStore } from '@momento-http/test-kit';
import { describe, expect, it, vi } from 'vitest';
import { EntryCache } from '../../src/toolkit/entry-cache';
import { FencedNearCache } from '../../src/toolkit/fenced-near-cache';
import { createMemoryStore } from '../../src/toolkit/memory-store';
import { WriteLedger } from '../../src/toolkit/write-ledger';
import { deferred } from './helpers';

interface Doc {
  text: string;
}
const encode = (doc: Doc) => new TextEncoder().encode(JSON.stringify(doc));
const decode = (bytes: Uint8Array): Doc => JSON.parse(new TextDecoder().decode(bytes)) as Doc;

function setup(near = false) {
  const store = new RecordingStore(createMemoryStore());
  const onError = vi.fn();
  const entries = new EntryCache<Doc>({
    store,
    decode,
    near: near ? new FencedNearCache<Doc>() : undefined,
    onError,
  });
  return { entries, onError, store };
}

describe('WriteLedger', () => {
  it('answers from the newest write in flight, and forgets it once that write settles', async () => {
    const ledger = new WriteLedger<string>();
    const first = deferred();
    const second = deferred();
    const one = ledger.track('k', { kind: 'set', value: 'v1' }, () => first.promise);
    const two = ledger.track('k', { kind: 'delete' }, () => second.promise);
    expect(ledger.pending('k')).toEqual({ kind: 'delete' });
    first.resolve();
    await one;
    expect(ledger.pending('k')).toEqual({ kind: 'delete' }); // the older write settling changes nothing
    second.reject(new Error('down'));
    await expect(two).rejects.toThrow('down');
    expect(ledger.pending('k')).toBeUndefined();
    expect(ledger.size).toBe(0);
  });
});

describe.each([false, true])('EntryCache (near cache %s)', (near) => {
  it('a read after a write in flight sees the written value, without asking the store', async () => {
    const { entries, store } = setup(near);
    await entries.set('k', { text: 'old' }, encode({ text: 'old' }));
    const gate = deferred();
    store.rule({ method: 'set', until: gate.promise }); // the PUT is slow
    const write = entries.set('k', { text: 'new' }, encode({ text: 'new' }));
    const reads = store.gets.length;
    expect((await entries.read('k')).entry).toEqual({ text: 'new' });
    expect(store.gets.length).toBe(reads);
    gate.resolve();
    await write;
    expect(await entries.get('k')).toEqual({ text: 'new' });
  });

  it('a read after a delete in flight misses', async () => {
    const { entries, store } = setup(near);
    await entries.set('k', { text: 'old' }, encode({ text: 'old' }));
    const gate = deferred();
    store.rule({ method: 'delete', until: gate.promise });
    const removal = entries.delete('k');
    expect(await entries.get('k')).toBeUndefined();
    gate.resolve();
    await removal;
    expect(await entries.get('k')).toBeUndefined();
  });

  it('a read waits for a write whose value is still being produced, then sees it', async () => {
    const { entries, store } = setup(near);
    await entries.set('k', { text: 'old' }, encode({ text: 'old' }));
    const produced = deferred<{ entry: Doc; bytes: Uint8Array }>();
    const storeGate = deferred();
    store.rule({ method: 'set', until: storeGate.promise });
    const write = entries.setWhenReady('k', () => produced.promise);
    expect(entries.peek('k')).toBeUndefined(); // not known yet: must wait
    const read = entries.get('k');
    const gets = store.gets.length;
    produced.resolve({ entry: { text: 'new' }, bytes: encode({ text: 'new' }) });
    expect(await read).toEqual({ text: 'new' }); // before the PUT landed
    expect(store.gets.length).toBe(gets);
    storeGate.resolve();
    await write;
  });

  it('a failed write is not answered from once it settled', async () => {
    const { entries, store } = setup(near);
    await entries.set('k', { text: 'old' }, encode({ text: 'old' }));
    store.rule({ method: 'set', fail: new Error('down') });
    await expect(entries.set('k', { text: 'new' }, encode({ text: 'new' }))).rejects.toThrow();
    expect(await entries.get('k')).toEqual({ text: 'old' });
  });

  it("one key's writes reach the store in call order: a delete waits for the set in flight", async () => {
    const { entries, store } = setup(near);
    const gate = deferred();
    store.rule({ method: 'set', until: gate.promise, count: 1 }); // the PUT is slow
    const write = entries.set('k', { text: 'v' }, encode({ text: 'v' }));
    const removal = entries.delete('k');
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.deletes).toEqual([]); // not sent while the set is in flight
    gate.resolve();
    await Promise.all([write, removal]);
    expect(store.deletes).toEqual(['k']);
    expect(await store.get('k')).toBeUndefined();
  });

  it('a value still being produced when its key is deleted is never stored', async () => {
    const { entries, store } = setup(near);
    const produced = deferred<{ entry: Doc; bytes: Uint8Array }>();
    const write = entries.setWhenReady('k', () => produced.promise);
    const removal = entries.delete('k');
    produced.resolve({ entry: { text: 'late' }, bytes: encode({ text: 'late' }) });
    await Promise.all([write, removal]);
    expect(store.sets.map((set) => set.key)).toEqual([]);
    expect(await entries.get('k')).toBeUndefined();
  });

  it('undecodable bytes are a miss reported through onError, never a rejection', async () => {
    const { entries, store, onError } = setup(near);
    await store.set('k', 'not json {');
    expect(await entries.get('k')).toBeUndefined();
    // The id whose bytes did not decode comes third, so an adapter can name the user's key.
    expect(onError).toHaveBeenCalledWith(expect.any(SyntaxError), 'decode', 'k');
    expect(entries.peek('k')).toBeUndefined();
  });
});

describe('EntryCache near cache', () => {
  it('a hit is synchronous (peek), decodes nothing and makes no request', async () => {
    const store = new RecordingStore(createMemoryStore());
    const decodeSpy = vi.fn(decode);
    const entries = new EntryCache<Doc>({ store, decode: decodeSpy, near: new FencedNearCache() });
    await store.set('k', encode({ text: 'v' }));
    await entries.get('k');
    const before = { gets: store.gets.length, decodes: decodeSpy.mock.calls.length };
    expect(entries.peek('k')).toEqual({ entry: { text: 'v' }, source: 'near' });
    expect(await entries.get('k')).toEqual({ text: 'v' });
    expect({ gets: store.gets.length, decodes: decodeSpy.mock.calls.length }).toEqual(before);
  });

  it('a read that began before a write never fills the near cache with the older value', async () => {
    const store = new RecordingStore(createMemoryStore());
    const entries = new EntryCache<Doc>({ store, decode, near: new FencedNearCache() });
    await store.set('k', encode({ text: 'old' }));
    const gate = deferred();
    // the GET has read "old" and is slow to answer
    store.rule({ method: 'get', at: 'response', until: gate.promise, count: 1 });
    const read = entries.get('k');
    await entries.set('k', { text: 'new' }, encode({ text: 'new' }));
    gate.resolve();
    expect(await read).toEqual({ text: 'old' }); // it began first: either value is fine
    expect(entries.peek('k')?.entry).toEqual({ text: 'new' });
  });

  it('nearLife bounds an entry by its own expiry', async () => {
    let t = 0;
    const near = new FencedNearCache<Doc & { until: number }>({ now: () => t, ttlMs: 60_000 });
    const entries = new EntryCache({
      store: createMemoryStore(),
      decode: (b) => ({ ...decode(b), until: 0 }),
      near,
      nearLife: (e) => ({ ttlMs: e.until - t }),
    });
    await entries.set('k', { text: 'v', until: 100 }, encode({ text: 'v' }));
    expect(entries.peek('k')?.source).toBe('near');
    t = 100;
    expect(entries.peek('k')).toBeUndefined();
  });
});

describe('EntryCache: concurrent reads of one key', () => {
  it('share one store request and one decode, and every reader gets the entry', async () => {
    const store = new RecordingStore(createMemoryStore());
    const decodeSpy = vi.fn(decode);
    const entries = new EntryCache<Doc>({ store, decode: decodeSpy });
    await store.set('k', encode({ text: 'v' }));
    const gate = deferred();
    store.rule({ method: 'get', at: 'response', until: gate.promise, count: 1 });
    const reads = Array.from({ length: 5 }, () => entries.readStore('k'));
    gate.resolve();
    const answers = await Promise.all(reads);
    expect(answers.map((a) => a.entry)).toEqual(Array(5).fill({ text: 'v' }));
    expect(store.gets.length).toBe(1);
    expect(decodeSpy).toHaveBeenCalledTimes(1);
  });

  it('a read after a write settled never joins a read from before it', async () => {
    const store = new RecordingStore(createMemoryStore());
    const entries = new EntryCache<Doc>({ store, decode });
    await store.set('k', encode({ text: 'old' }));
    const gate = deferred();
    // The first GET has read "old" and is slow to answer.
    store.rule({ method: 'get', at: 'response', until: gate.promise, count: 1 });
    const before = entries.readStore('k');
    await entries.set('k', { text: 'new' }, encode({ text: 'new' }));
    const after = entries.readStore('k');
    gate.resolve();
    expect((await before).entry).toEqual({ text: 'old' });
    expect((await after).entry).toEqual({ text: 'new' });
    expect(store.gets.length).toBe(2);
  });

  it("one reader's abort rejects that reader only", async () => {
    const store = new RecordingStore(createMemoryStore());
    const entries = new EntryCache<Doc>({ store, decode });
    await store.set('k', encode({ text: 'v' }));
    const gate = deferred();
    store.rule({ method: 'get', at: 'response', until: gate.promise, count: 1 });
    const controller = new AbortController();
    const aborted = entries.readStore('k', { signal: controller.signal });
    const other = entries.readStore('k');
    controller.abort(new Error('caller gave up'));
    await expect(aborted).rejects.toThrow('caller gave up');
    gate.resolve();
    expect((await other).entry).toEqual({ text: 'v' });
  });
});
