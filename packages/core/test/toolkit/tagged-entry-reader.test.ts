import { RecordingStore } from '@momento-http/test-kit';
import { describe, expect, it, vi } from 'vitest';
import type { CacheStore } from '../../src/contract';
import { ConnectionError, TimeoutError } from '../../src/index';
import { CircuitBreaker } from '../../src/toolkit/circuit-breaker';
import { Deadline } from '../../src/toolkit/deadline';
import { EntryCache } from '../../src/toolkit/entry-cache';
import { FencedNearCache } from '../../src/toolkit/fenced-near-cache';
import { createMemoryStore } from '../../src/toolkit/memory-store';
import { TagStates } from '../../src/toolkit/tag-states';
import { READ_FAILED, TaggedEntryReader } from '../../src/toolkit/tagged-entry-reader';
import { TagStateError, TagStore } from '../../src/toolkit/tags';
import { deferred } from './helpers';

interface Page {
  html: string;
  tags: string[];
  at: number;
}
const encode = (p: Page) => new TextEncoder().encode(JSON.stringify(p));
const decode = (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b)) as Page;

function setup(inner: CacheStore = createMemoryStore(), near = false) {
  const store = new RecordingStore(inner);
  const onError = vi.fn();
  const entries = new EntryCache<Page>({
    store,
    decode,
    near: near ? new FencedNearCache<Page>() : undefined,
    onError,
  });
  const tags = new TagStates(new TagStore(store), near ? { nearCache: {} } : {});
  const reader = new TaggedEntryReader<Page>({
    entries,
    tags,
    tagsOf: (p) => p.tags,
    createdAt: (p) => p.at,
    onError,
  });
  return { reader, tags, entries, onError, store };
}

const page = (html: string, tags = ['t'], at = Date.now() - 10): Page => ({ html, tags, at });

describe('TaggedEntryReader', () => {
  it('reads the tags it remembers for a key in parallel with the entry (one round trip)', async () => {
    const { reader, store } = setup();
    await reader.write('p', page('v'), encode(page('v')));
    const gate = deferred();
    // every GET is held: count what went out before any answered
    store.rule({ method: 'get', at: 'response', until: gate.promise });
    const read = reader.read('p');
    await vi.waitFor(() => expect(new Set(store.gets)).toEqual(new Set(['p', '__tag__|t'])));
    gate.resolve();
    expect((await read)?.entry.html).toBe('v');
  });

  it('tags found in the entry but not remembered are read after it, then remembered', async () => {
    const { reader, store } = setup();
    await store.set('p', encode(page('v', ['a', 'b'])));
    expect((await reader.read('p'))?.verdict).toBe('fresh');
    expect(store.gets).toEqual(['p', '__tag__|a', '__tag__|b']);
    store.forget();
    await reader.read('p', {}, { extraTags: ['implicit'] });
    expect(new Set(store.gets)).toEqual(
      new Set(['p', '__tag__|a', '__tag__|b', '__tag__|implicit']),
    );
  });

  it('an invalidation made here expires the entry at once; a deferred one makes it stale', async () => {
    const { reader, tags, store } = setup();
    await reader.write('p', page('v', ['x', 'y']), encode(page('v', ['x', 'y'])));
    await tags.invalidate(['y'], { expireInSeconds: 60 });
    expect((await reader.read('p'))?.verdict).toBe('stale');
    store.rule({ method: 'set', hang: true }); // the tag write never lands
    void tags.invalidate(['x']);
    expect(await reader.read('p')).toBeUndefined();
  });

  it('one deadline bounds the whole read; a store that does not answer is a reported miss', async () => {
    const hanging: CacheStore = {
      cacheName: 'c',
      get: () => new Promise(() => {}),
      set: async () => {},
      delete: async () => {},
    };
    const { reader, onError } = setup(hanging);
    const deadline = new Deadline(30, { operation: 'test read' });
    expect(await reader.read('p', { deadline })).toBeUndefined();
    expect(deadline.expired).toBe(true);
    expect(onError).toHaveBeenCalledWith(expect.any(TimeoutError), 'read');
  });

  it('a store that keeps failing opens the breaker: then reads are misses that ask nothing', async () => {
    let gets = 0;
    const failing: CacheStore = {
      cacheName: 'c',
      get: async () => {
        gets++;
        throw new ConnectionError('reset');
      },
      set: async () => {},
      delete: async () => {},
    };
    const { entries, tags } = setup(failing);
    const onError = vi.fn();
    const reader = new TaggedEntryReader<Page>({
      entries,
      tags,
      tagsOf: (p) => p.tags,
      createdAt: (p) => p.at,
      breaker: new CircuitBreaker({ failures: 2, cooldownMs: 60_000 }),
      onError,
    });
    expect(await reader.read('p')).toBeUndefined();
    expect(await reader.read('p')).toBeUndefined();
    expect(onError).toHaveBeenCalledWith(expect.any(ConnectionError), 'read');
    const before = gets;
    expect(await reader.read('p')).toBeUndefined();
    expect(gets).toBe(before);
  });

  it('a near hit with known tags is synchronous; a near copy expired by a tag is re-read from the store once', async () => {
    const memory = createMemoryStore();
    const { reader, entries, tags } = setup(memory, true);
    const old = page('old', ['t'], Date.now() - 1000);
    await reader.write('p', old, encode(old));
    await reader.read('p');
    expect(reader.peek('p')?.entry.html).toBe('old');
    // Another process invalidates `t` and writes a newer page; this process still holds the old one.
    const other = new TagStates(new TagStore(memory));
    await other.invalidate(['t']);
    const fresh = page('fresh', ['t'], Date.now() + 1);
    await memory.set('p', encode(fresh));
    tags.near?.invalidate(['t']); // as a coherence message would; the old page stays near
    expect(entries.peek('p')?.entry?.html).toBe('old');
    const result = await reader.read('p');
    expect(result).toMatchObject({ entry: { html: 'fresh' }, source: 'store' });
  });

  it('a tag whose state is garbage makes the entry a reported miss, never fresh', async () => {
    const { reader, store, onError } = setup();
    await reader.write('p', page('v'), encode(page('v')));
    await store.set('__tag__|t', 'garbage');
    expect(await reader.read('p')).toBeUndefined();
    expect(onError).toHaveBeenCalledWith(expect.any(TagStateError), 'tags');
  });

  it('waits, within the deadline, for a write of the key whose value is still being produced', async () => {
    const { reader, entries } = setup();
    const produced = deferred<{ entry: Page; bytes: Uint8Array } | undefined>();
    void entries.setWhenReady('p', () => produced.promise);
    const read = reader.read('p', { deadline: new Deadline(5_000) });
    produced.resolve({ entry: page('rendered'), bytes: encode(page('rendered')) });
    expect(await read).toMatchObject({ entry: { html: 'rendered' }, source: 'pending' });
    const stuck = deferred<undefined>();
    void entries.setWhenReady('q', () => stuck.promise);
    expect(await reader.read('q', { deadline: new Deadline(20) })).toBeUndefined(); // bounded
    stuck.resolve(undefined);
  });

  it('peek checks extraTags and usable too, and answers only when every tag state is held', async () => {
    const { reader, tags } = setup(createMemoryStore(), true);
    await reader.write('p', page('v'), encode(page('v')));
    await reader.read('p', {}, { extraTags: ['implicit'] });
    expect(reader.peek('p', { extraTags: ['implicit'] })?.verdict).toBe('fresh');
    expect(reader.peek('p', { extraTags: ['never-read'] })).toBeUndefined();
    expect(reader.peek('p', { usable: () => false })).toBeUndefined();
    await tags.invalidate(['implicit']);
    expect(reader.peek('p')?.entry.html).toBe('v');
    expect(reader.peek('p', { extraTags: ['implicit'] })).toBeUndefined();
  });

  it('writeWhenReady makes reads wait for the value and remembers its tags', async () => {
    const { reader, store } = setup();
    const produced = deferred<{ entry: Page; bytes: Uint8Array } | undefined>();
    const writing = reader.writeWhenReady('p', () => produced.promise);
    const read = reader.read('p', { deadline: new Deadline(5_000) });
    const v = page('v', ['a']);
    produced.resolve({ entry: v, bytes: encode(v) });
    expect(await read).toMatchObject({ entry: { html: 'v' }, source: 'pending' });
    await writing;
    store.forget();
    await reader.read('p');
    expect(new Set(store.gets)).toEqual(new Set(['p', '__tag__|a'])); // one round trip
  });

  it('undecodable entry bytes are a reported miss', async () => {
    const { reader, store, onError } = setup();
    await store.set('p', 'garbage');
    expect(await reader.read('p')).toBeUndefined();
    expect(onError).toHaveBeenCalledWith(expect.any(SyntaxError), 'decode', 'p');
  });

  describe('readOrFailure tells a failed read from a miss', () => {
    it('a key that holds nothing is a miss', async () => {
      const { reader } = setup();
      expect(await reader.readOrFailure('nothing')).toBeUndefined();
    });

    it('a store error, bytes that do not decode, tags that cannot be read: READ_FAILED', async () => {
      const { reader, store } = setup();
      store.rule({ method: 'get', key: 'down', fail: new ConnectionError('down') });
      expect(await reader.readOrFailure('down')).toBe(READ_FAILED);
      await store.set('garbage', 'not json');
      expect(await reader.readOrFailure('garbage')).toBe(READ_FAILED);
      await reader.write('p', page('v', ['x']), encode(page('v', ['x'])));
      store.rule({ method: 'get', key: '__tag__|x', fail: new ConnectionError('down') });
      expect(await reader.readOrFailure('p')).toBe(READ_FAILED);
      // read() folds a failure into a miss (already reported).
      expect(await reader.read('down')).toBeUndefined();
    });

    it('a read past its deadline or behind an open breaker: READ_FAILED', async () => {
      const breaker = new CircuitBreaker({ failures: 1, cooldownMs: 60_000 });
      const { reader, store } = setup();
      const guarded = new TaggedEntryReader<Page>({
        entries: new EntryCache<Page>({ store, decode }),
        tags: new TagStates(new TagStore(store)),
        tagsOf: (p) => p.tags,
        createdAt: (p) => p.at,
        breaker,
      });
      store.rule({ method: 'get', key: 'slow', hang: true });
      expect(await reader.readOrFailure('slow', { deadline: new Deadline(20) })).toBe(READ_FAILED);
      breaker.failed(new ConnectionError('down'));
      expect(breaker.state).toBe('open');
      expect(await guarded.readOrFailure('anything')).toBe(READ_FAILED);
    });
  });
});
