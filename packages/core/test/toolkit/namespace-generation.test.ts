import { RecordingStore } from '@momento-http/test-kit';
import { describe, expect, it, vi } from 'vitest';
import type { CacheStore } from '../../src/contract';
import { createMemoryStore } from '../../src/toolkit/memory-store';
import { withNamespace } from '../../src/toolkit/namespace';
import {
  NamespaceGeneration,
  NamespaceGenerationError,
} from '../../src/toolkit/namespace-generation';
import { deferred, text } from './helpers';

/** A store whose next `n` reads of `key` answer `body` (a garbage 200), then behave. */
function garbageFor(inner: CacheStore, key: string, body: Uint8Array, n = 1): CacheStore {
  let left = n;
  return {
    cacheName: inner.cacheName,
    get: async (k, o) => (k === key && left-- > 0 ? body : inner.get(k, o)),
    set: (k, v, o) => inner.set(k, v, o),
    delete: (k, o) => inner.delete(k, o),
  };
}

describe('NamespaceGeneration', () => {
  it('keeps the wire format: `<ns>|__gen__` holds 16 hex digits, keys are `<ns>|<gen>|<key>`', async () => {
    const memory = createMemoryStore();
    const gen = new NamespaceGeneration(memory, 'a|b%c');
    expect(gen.generationKey).toBe('a%7Cb%25c|__gen__');
    const prefix = await gen.confirm();
    const stored = text(await memory.get('a%7Cb%25c|__gen__'))!;
    expect(stored).toMatch(/^[0-9a-f]{16}$/);
    expect(prefix).toBe(`a%7Cb%25c|${stored}|`);
    expect(gen.scopedKey(prefix!, 'k')).toBe(`a%7Cb%25c|${stored}|k`);
    // withNamespace sees the same generation
    await memory.set(`a%7Cb%25c|${stored}|k`, 'v');
    expect(text(await withNamespace(memory, 'a|b%c').get('k'))).toBe('v');
  });

  it.each([
    ['a garbage body', new TextEncoder().encode('<html>502</html>')],
    ['a truncated generation', new TextEncoder().encode('0123456789ab')],
    ['bytes that are not UTF-8', new Uint8Array([0xff, 0xfe, 0x30])],
  ])('%s is reported and read as a miss; nothing is written', async (_, body) => {
    const memory = createMemoryStore();
    const setup = new NamespaceGeneration(memory, 'ns');
    const good = await setup.confirm();
    const store = new RecordingStore(garbageFor(memory, 'ns|__gen__', body, 3));
    const onError = vi.fn();
    const gen = new NamespaceGeneration(store, 'ns', { onError });
    for (let i = 0; i < 3; i++) {
      expect(
        await gen.run(
          {},
          async (p) => p,
          () => 'miss',
        ),
      ).toBe('miss');
    }
    expect(store.sets).toEqual([]);
    expect(onError).toHaveBeenCalledTimes(3);
    expect(onError.mock.calls[0]![0]).toBeInstanceOf(NamespaceGenerationError);
    expect(await gen.confirm()).toBe(good); // the fault passed: the same generation, data intact
  });

  it('a missing generation is created once and read back (two processes converge)', async () => {
    const memory = createMemoryStore();
    const one = new NamespaceGeneration(memory, 'ns');
    const two = new NamespaceGeneration(memory, 'ns');
    const [a, b] = await Promise.all([one.confirm(), two.confirm()]);
    expect(a).toBe(b);
  });

  it('two processes creating at once converge even when the other write lands after the read-back', async () => {
    const memory = createMemoryStore();
    const slow = new RecordingStore(memory);
    const gate = deferred();
    slow.rule({ method: 'set', until: gate.promise, count: 1 }); // B's creation lands late
    const options = { cacheMs: 60_000 };
    const a = new NamespaceGeneration(memory, 'ns', options);
    const b = new NamespaceGeneration(slow, 'ns', options);
    const bCreating = b.confirm(); // B read a miss; its write is held
    await vi.waitFor(() => expect(slow.sets.length).toBe(1));
    const created = await a.confirm(); // A creates its own and reads it back: B's has not landed
    // A generation created here is not trusted from memory, however long cacheMs is.
    expect(a.freshPrefix()).toBeUndefined();
    gate.resolve();
    const stored = await bCreating; // B's landed last: it is the stored one
    expect(stored).not.toBe(created);
    // A's next operation confirms while it runs, and runs again under the stored generation.
    expect(
      await a.run(
        {},
        async (prefix) => prefix,
        () => 'unknown',
      ),
    ).toBe(stored);
    expect(a.freshPrefix()).toBe(stored);
  });

  it('clear() moves this process at once, before its write lands', async () => {
    const store = new RecordingStore(createMemoryStore());
    const gen = new NamespaceGeneration(store, 'ns');
    const before = await gen.confirm();
    const gate = deferred();
    store.rule({ method: 'set', until: gate.promise });
    const clearing = gen.clear();
    const gets = store.gets.length;
    const during = await Promise.race([gen.confirm(), Promise.resolve('pending')]);
    expect(gen.knownPrefix()).not.toBe(before);
    gate.resolve();
    await clearing;
    expect(await gen.confirm()).toBe(gen.knownPrefix());
    expect(store.gets.length).toBe(gets + 1); // the read while clearing went to no store
    expect(during).toBe('pending'); // it waited for the write instead of reading the old generation
  });

  it('a failed clear() rejects and the stored generation is read again', async () => {
    const store = new RecordingStore(createMemoryStore());
    const gen = new NamespaceGeneration(store, 'ns');
    const before = await gen.confirm();
    const stopFailing = store.rule({ method: 'set', fail: new Error('down') });
    await expect(gen.clear()).rejects.toThrow('down');
    stopFailing();
    expect(await gen.confirm()).toBe(before);
  });

  it('run() reads under the known generation while confirming it (one round trip), and again if it changed', async () => {
    const memory = createMemoryStore();
    const gen = new NamespaceGeneration(memory, 'ns');
    const first = await gen.confirm();
    const seen: string[] = [];
    await gen.run(
      {},
      async (p) => seen.push(p),
      () => 0,
    );
    expect(seen).toEqual([first]);
    await new NamespaceGeneration(memory, 'ns').clear(); // another process
    seen.length = 0;
    await gen.run(
      {},
      async (p) => seen.push(p),
      () => 0,
    );
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(first);
    expect(seen[1]).not.toBe(first);
  });

  it('cacheMs: a confirmed generation is used without a read while fresh', async () => {
    let t = 0;
    const store = new RecordingStore(createMemoryStore());
    const gen = new NamespaceGeneration(store, 'ns', { cacheMs: 1000, now: () => t });
    await gen.confirm(); // creates it (not trusted yet: see the test above)
    await gen.confirm(); // reads it back as stored: confirmed
    const gets = store.gets.length;
    t = 500;
    expect(gen.freshPrefix()).toBe(gen.knownPrefix());
    expect(store.gets.length).toBe(gets);
    t = 1000;
    expect(gen.freshPrefix()).toBeUndefined();
    await gen.confirm();
    gen.invalidate(); // told another process cleared: do not wait out cacheMs
    expect(gen.freshPrefix()).toBeUndefined();
  });
});
