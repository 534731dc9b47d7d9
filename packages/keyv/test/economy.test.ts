// How many requests each operation makes, and that the shortcuts taken to save them stay correct.
import { type CacheStore, withNamespace } from '@momento-http/core';
import { RecordingStore, useLocalServer } from '@momento-http/test-kit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KeyvMomento } from '../src/index';
import { decodeRecord, encodeRecord } from '../src/record';
import { uniqueNamespace } from './helpers';

const local = useLocalServer();

/** A store on the server, its calls recorded, in a namespace of its own. */
function recorded(options: ConstructorParameters<typeof KeyvMomento>[0] = {}) {
  const seen = new RecordingStore(local.client().cache('default-cache'));
  const keyv = new KeyvMomento({ store: seen, namespace: uniqueNamespace(), ...options });
  const reset = () => seen.forget();
  return { keyv, seen, reset };
}
afterEach(() => {
  vi.useRealTimers();
});
const isGeneration = (key: string) => key.endsWith('|__gen__');

describe('without the near cache', () => {
  it('a get is one value read, made in parallel with the generation check', async () => {
    const { keyv, seen, reset } = recorded();
    await keyv.set('k', 'v');
    reset();
    expect(await keyv.get('k')).toBe('v');
    expect(seen.gets.filter(isGeneration)).toHaveLength(1);
    expect(seen.gets.filter((key) => !isGeneration(key))).toHaveLength(1);
    expect(seen.maxInFlight).toBe(2); // one round trip, not two
  });

  it('a set is one PUT, made in parallel with the generation check', async () => {
    const { keyv, seen, reset } = recorded();
    await keyv.set('k', 'v1');
    reset();
    expect(await keyv.set('k', 'v2')).toBe(true);
    expect(seen.sets).toHaveLength(1);
    expect(seen.gets.filter(isGeneration)).toHaveLength(1);
    expect(seen.maxInFlight).toBe(2);
  });

  it('after a clear elsewhere, reads and writes move to the new generation', async () => {
    const namespace = uniqueNamespace();
    const here = new KeyvMomento({ client: local.client(), namespace });
    const elsewhere = new KeyvMomento({ client: local.client(), namespace });
    await here.set('k', 'old');
    expect(await here.get('k')).toBe('old'); // `here` now knows the old generation
    await here.set('b', 'old');
    await elsewhere.clear();
    expect(await here.getMany(['b'])).toEqual([undefined]); // a batch checks the generation too
    expect(await here.get('k')).toBeUndefined();
    await here.set('k', 'new');
    expect(await elsewhere.get('k')).toBe('new');
    await elsewhere.clear();
    expect(await here.setMany([{ key: 'b', value: 'newer' }])).toEqual([true]);
    expect(await elsewhere.get('b')).toBe('newer');
  });

  it('shares one request among concurrent gets of one key', async () => {
    const { keyv, seen, reset } = recorded();
    await keyv.set('hot', 'v');
    reset();
    const values = await Promise.all(Array.from({ length: 20 }, () => keyv.get('hot')));
    expect(values.every((v) => v === 'v')).toBe(true);
    expect(seen.gets.filter((key) => key.endsWith('|hot'))).toHaveLength(1);
  });

  it('bounds the key requests in flight for batch calls (plus the one shared generation read)', async () => {
    const { keyv, seen, reset } = recorded({ concurrency: 4 });
    const keys = Array.from({ length: 40 }, (_, i) => `k${i}`);
    await keyv.setMany(keys.map((key) => ({ key, value: key }))); // a new store: no generation known yet
    expect(seen.maxInFlight).toBeLessThanOrEqual(4 + 1);
    expect(seen.sets.filter((write) => !isGeneration(write.key))).toHaveLength(keys.length);
    reset();
    expect(await keyv.getMany(keys)).toEqual(keys);
    expect(seen.maxInFlight).toBeLessThanOrEqual(4 + 1);
    expect(seen.maxInFlight).toBeGreaterThan(2);
    expect(seen.gets.filter(isGeneration).length).toBeLessThan(keys.length / 4);
  });

  it('writes of one key reach the server in call order; waiting writes are coalesced', async () => {
    const namespace = uniqueNamespace();
    const { keyv, seen, reset } = recorded({ namespace });
    await keyv.set('k', 'v0');
    reset();
    const results = await Promise.all([
      keyv.set('k', 'v1'),
      keyv.set('k', 'v2'),
      keyv.set('k', 'v3'),
      keyv.set('other', 'x'),
    ]);
    expect(results).toEqual([true, true, true, true]);
    const sent = await Promise.all(
      seen.sets
        .filter((write) => write.key.endsWith('|k'))
        .map(async (write) => (await decodeRecord(write.value as Uint8Array))?.value),
    );
    expect(sent).toEqual(['v1', 'v3']); // v2 waited behind v1 and was replaced by v3 before it was sent
    expect(await new KeyvMomento({ client: local.client(), namespace }).get('k')).toBe('v3');
    expect(await keyv.delete('k')).toBe(true);
    expect(await keyv.get('k')).toBeUndefined();
  });

  it('uses the core withNamespace() format: each sees the other’s clear', async () => {
    const namespace = `${uniqueNamespace()}|with%bars`;
    const keyv = new KeyvMomento({ client: local.client(), namespace });
    const core = withNamespace(local.client().cache('default-cache'), namespace);
    await keyv.set('k', 'v');
    expect(await core.get('k')).toBeDefined(); // the same key, under the same generation
    await core.clear();
    expect(await keyv.get('k')).toBeUndefined();
    await core.set('raw', await encodeRecord('from core', undefined));
    expect(await keyv.get('raw')).toBe('from core');
    await keyv.clear();
    expect(await core.get('raw')).toBeUndefined();
  });
});

describe('with the near cache', () => {
  it('a hit makes no request; a set is one PUT that the next get is served from', async () => {
    const { keyv, seen, reset } = recorded({ nearCache: true });
    await keyv.set('k', 'v1');
    await keyv.get('k');
    reset();
    for (let i = 0; i < 5; i++) expect(await keyv.get('k')).toBe('v1');
    expect(await keyv.has('k')).toBe(true);
    expect(seen.gets).toHaveLength(0);
    expect(await keyv.set('k', 'v2')).toBe(true);
    expect(seen.sets).toHaveLength(1);
    expect(seen.gets).toHaveLength(0);
    expect(await keyv.get('k')).toBe('v2');
    expect(seen.gets).toHaveLength(0);
  });

  it('getMany reads only the keys the near cache does not hold', async () => {
    const { keyv, seen, reset } = recorded({ nearCache: true });
    await keyv.setMany([
      { key: 'a', value: 'A' },
      { key: 'b', value: 'B' },
    ]);
    // The namespace was created by this store: its next operation confirms the generation once.
    await keyv.get('a');
    reset();
    expect(await keyv.getMany(['a', 'x', 'b'])).toEqual(['A', undefined, 'B']);
    expect(seen.gets.map((key) => key.split('|').at(-1))).toEqual(['x']);
  });

  it('never serves a value past its Keyv TTL, though the near entry is younger', async () => {
    const { keyv } = recorded({ nearCache: { ttlMs: 60_000 } });
    await keyv.set('k', 'v', 50);
    await vi.waitFor(async () => expect(await keyv.get('k')).toBeUndefined(), {
      timeout: 2000,
      interval: 10,
    });
    expect(await keyv.has('k')).toBe(false);
  });

  it('serves repeated reads from the near cache, and sees other writers after its TTL', async () => {
    const namespace = uniqueNamespace();
    const { keyv, seen } = recorded({ namespace, nearCache: { ttlMs: 100 } });
    const other = new KeyvMomento({ client: local.client(), namespace });
    await keyv.set('k', 'v1');
    seen.gets.length = 0;
    for (let i = 0; i < 5; i++) expect(await keyv.get('k')).toBe('v1');
    expect(seen.gets.filter((key) => key.endsWith('|k'))).toHaveLength(0);
    await other.set('k', 'v2');
    await vi.waitFor(async () => expect(await keyv.get('k')).toBe('v2'), {
      timeout: 2000,
      interval: 20,
    });
  });

  it('refreshes a hot entry in the background before it expires, without making the reader wait', async () => {
    vi.useFakeTimers({ toFake: ['Date'] }); // only the clock: requests and deadlines run for real
    const start = Date.now();
    const namespace = uniqueNamespace();
    const { keyv, seen, reset } = recorded({ namespace, nearCache: { ttlMs: 1000 } });
    const other = new KeyvMomento({ client: local.client(), namespace });
    await keyv.set('k', 'v1');
    await keyv.set('gone', 'v1');
    await other.set('k', 'v2');
    await other.delete('gone');
    reset();
    const readsOf = (key: string) => seen.gets.filter((stored) => stored.endsWith(`|${key}`));
    vi.setSystemTime(start + 500);
    expect(await keyv.get('k')).toBe('v1');
    expect(readsOf('k')).toHaveLength(0);
    vi.setSystemTime(start + 800); // past 80 % of the near TTL: a refresh is due
    expect(await keyv.get('k')).toBe('v1'); // answered from memory at once…
    expect(await keyv.get('gone')).toBe('v1');
    await vi.waitFor(() => expect(readsOf('k')).toHaveLength(1)); // …while one refresh runs
    await vi.waitFor(async () => expect(await keyv.get('k')).toBe('v2'));
    await vi.waitFor(async () => expect(await keyv.get('gone')).toBeUndefined());
    expect(readsOf('k')).toHaveLength(1);
  });

  it('refreshes every hot entry that comes due, not only `concurrency` of them', async () => {
    // Entries filled together come due together; a refresh skipped there is not saved, it
    // becomes a foreground miss when the entry expires, so all of them must start at once.
    vi.useFakeTimers({ toFake: ['Date'] }); // only the clock: requests run for real
    const start = Date.now();
    const keys = ['a', 'b', 'c', 'd'];
    const { keyv, seen, reset } = recorded({ nearCache: { ttlMs: 1000 }, concurrency: 1 });
    for (const key of keys) await keyv.set(key, 'v1');
    reset();
    vi.setSystemTime(start + 800); // past 80 % of the near TTL: every entry is due
    for (const key of keys) expect(await keyv.get(key)).toBe('v1'); // all from memory…
    const read = (key: string) => seen.gets.some((stored) => stored.endsWith(`|${key}`));
    await vi.waitFor(() => expect(keys.filter(read)).toEqual(keys)); // …each refreshed behind
    expect(seen.maxInFlight).toBeGreaterThan(1);
  });

  it('sees writes and clears made elsewhere no later than ttlMs after it last read', async () => {
    vi.useFakeTimers({ toFake: ['Date'] }); // only the clock: requests run for real
    const start = Date.now();
    const namespace = uniqueNamespace();
    const near = new KeyvMomento({ client: local.client(), namespace, nearCache: { ttlMs: 1000 } });
    const other = new KeyvMomento({ client: local.client(), namespace });
    await other.set('a', 'v1');
    await other.set('b', 'v1');
    expect(await near.getMany(['a', 'b'])).toEqual(['v1', 'v1']); // read (and generation) at `start`
    await other.set('a', 'v2');
    await other.clear();
    vi.setSystemTime(start + 999);
    expect(await near.get('a')).toBe('v1'); // within the bound, memory may still answer
    vi.setSystemTime(start + 1000);
    expect(await near.get('a')).toBeUndefined(); // cleared elsewhere: seen once the bound is reached
    expect(await near.get('b')).toBeUndefined();
  });

  it('a read that was in flight during a write does not put the older value back', async () => {
    // The server cannot answer a read with the value from before a write that finished first,
    // so this store holds the real server's answer back until the test releases it.
    const real = local.client().cache('default-cache');
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let answered = () => {};
    const readAnswered = new Promise<void>((resolve) => {
      answered = resolve;
    });
    let holdNext = false;
    const store: CacheStore = {
      cacheName: real.cacheName,
      async get(key, options) {
        const hold = holdNext && typeof key === 'string' && key.endsWith('|k');
        const value = await real.get(key, options);
        if (hold) {
          answered();
          await held;
        }
        return value;
      },
      set: (key, value, options) => real.set(key, value, options),
      delete: (key, options) => real.delete(key, options),
    };
    const keyv = new KeyvMomento({
      store,
      namespace: uniqueNamespace(),
      nearCache: { ttlMs: 60_000 },
    });
    await keyv.set('k', 'old');
    await keyv.disconnect(); // empties the near cache, so the next get goes to the server
    holdNext = true;
    const reading = keyv.get('k');
    await readAnswered; // the server has answered 'old'; the store has not seen it yet
    await keyv.set('k', 'new');
    release();
    expect(await reading).toBe('old');
    expect(await keyv.get('k')).toBe('new');
  });
});
