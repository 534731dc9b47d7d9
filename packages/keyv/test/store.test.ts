// KeyvMomento's own contract, called directly (as Keyv calls it), against the local server.

import { createMemoryStore, InvalidArgumentError } from '@momento-http/core';
import { RecordingStore, useLocalServer } from '@momento-http/test-kit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CorruptRecordError, createKeyv, KeyvMomento } from '../src/index';
import { decodeRecord } from '../src/record';
import { uniqueNamespace } from './helpers';

const local = useLocalServer();
/** The record a recorded write stored (values are checked envelopes, not plain text). */
const recordOf = async (value: string | Uint8Array) => (await decodeRecord(value as Uint8Array))!;

/** A store on the server, its calls recorded, in a namespace of its own. */
function recorded(options: ConstructorParameters<typeof KeyvMomento>[0] = {}) {
  const seen = new RecordingStore(local.client().cache('default-cache'));
  const keyv = new KeyvMomento({ store: seen, namespace: uniqueNamespace(), ...options });
  return { keyv, seen };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('existence', () => {
  it('delete() says whether the key existed', async () => {
    const { keyv } = recorded();
    expect(await keyv.delete('missing')).toBe(false);
    await keyv.set('k', 'v');
    expect(await keyv.delete('k')).toBe(true);
    expect(await keyv.delete('k')).toBe(false);
    expect(await keyv.get('k')).toBeUndefined();
  });

  it('has() and hasMany() are true only for live keys', async () => {
    const { keyv } = recorded();
    await keyv.set('a', '1');
    expect(await keyv.has('a')).toBe(true);
    expect(await keyv.has('b')).toBe(false);
    expect(await keyv.hasMany(['a', 'b'])).toEqual([true, false]);
  });

  it('deleteMany() is true only when every key existed', async () => {
    const { keyv } = recorded();
    await keyv.setMany([
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
    ]);
    expect(await keyv.deleteMany(['a', 'missing'])).toBe(false);
    expect(await keyv.get('a')).toBeUndefined();
    await keyv.set('a', '1');
    await keyv.set('b', '2');
    expect(await keyv.deleteMany(['a', 'b'])).toBe(true);
    expect(await keyv.deleteMany([])).toBe(false);
  });

  it('getMany() and setMany() keep order and report per entry', async () => {
    const { keyv } = recorded();
    expect(
      await keyv.setMany([
        { key: 'x', value: 'X' },
        { key: 'y', value: 'Y', ttl: 60_000 },
      ]),
    ).toEqual([true, true]);
    expect(await keyv.getMany(['y', 'nope', 'x'])).toEqual(['Y', undefined, 'X']);
  });
});

describe('TTL', () => {
  it('rounds ms up to whole seconds and keeps the exact deadline in the record', async () => {
    const { keyv, seen } = recorded();
    const before = Date.now();
    await keyv.set('k', 'v', 1500);
    const write = seen.sets.at(-1)!;
    expect(write.ttlSeconds).toBe(2);
    const { value: body, deadline = Number.NaN } = await recordOf(write.value);
    expect(body).toBe('v');
    expect(deadline).toBeGreaterThanOrEqual(before + 1500);
    expect(deadline).toBeLessThanOrEqual(Date.now() + 1500);
  });

  it('expires to the millisecond although the server keeps the item a whole second longer', async () => {
    const { keyv } = recorded();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now());
    await keyv.set('k', 'v', 1200); // the server keeps it 2 s
    vi.setSystemTime(Date.now() + 1200);
    expect(await keyv.has('k')).toBe(true); // at the deadline: still live (Keyv's rule is now > deadline)
    vi.setSystemTime(Date.now() + 1);
    expect(await keyv.has('k')).toBe(false);
    expect(await keyv.get('k')).toBeUndefined();
    expect(await keyv.delete('k')).toBe(false);
  });

  it('uses defaultTtlMs when no TTL is given, capped at maxTtlSeconds', async () => {
    const plain = recorded();
    await plain.keyv.set('k', 'v');
    expect(plain.seen.sets.at(-1)!.ttlSeconds).toBe(86_400);
    expect(await recordOf(plain.seen.sets.at(-1)!.value)).toEqual({
      value: 'v',
      deadline: undefined,
    }); // no deadline from Keyv's view

    const custom = recorded({ defaultTtlMs: 10_500 });
    await custom.keyv.set('k', 'v');
    expect(custom.seen.sets.at(-1)!.ttlSeconds).toBe(11);
    await custom.keyv.set('k', 'v', 10 * 86_400_000);
    expect(custom.seen.sets.at(-1)!.ttlSeconds).toBe(86_400);

    const capped = recorded({ maxTtlSeconds: 3600 });
    await capped.keyv.set('k', 'v');
    expect(capped.seen.sets.at(-1)!.ttlSeconds).toBe(3600);
    expect(capped.keyv.opts.defaultTtlMs).toBe(3_600_000);
  });

  it('treats a TTL <= 0 as a delete', async () => {
    const { keyv, seen } = recorded();
    await keyv.set('k', 'v');
    const writes = seen.sets.length;
    expect(await keyv.set('k', 'new', -5)).toBe(true);
    expect(seen.sets.length).toBe(writes);
    expect(await keyv.get('k')).toBeUndefined();
    await keyv.set('k', 'v');
    await keyv.set('k', 'new', 0);
    expect(await keyv.get('k')).toBeUndefined();
  });
});

describe('values', () => {
  it('stores strings as UTF-8, bit for bit', async () => {
    const { keyv, seen } = recorded();
    const value = '{"value":"héllo 🌍 \\"quoted\\" \\u0000","expires":null}';
    await keyv.set("it's a key 🔑", value);
    expect((await recordOf(seen.sets.at(-1)!.value)).value).toBe(value);
    expect(await keyv.get("it's a key 🔑")).toBe(value);
  });

  it('splits values over the item limit into chunks and reassembles them', async () => {
    const { keyv, seen } = recorded();
    const big = `${'x'.repeat(6 * 1024 * 1024)}é`;
    expect(await keyv.set('big', big)).toBe(true);
    expect(seen.sets.length).toBeGreaterThan(2); // chunks + manifest
    expect(await keyv.get('big')).toBe(big);
    expect(await keyv.delete('big')).toBe(true);
    expect(await keyv.get('big')).toBeUndefined();
  });

  it('reports a value it did not write as a CorruptRecordError and reads it as a miss', async () => {
    const { keyv, seen } = recorded();
    const errors: unknown[] = [];
    keyv.on('error', (e) => errors.push(e));
    await keyv.set('k', 'v');
    const dataKey = seen.sets.at(-1)!.key;
    await local
      .client()
      .cache('default-cache')
      .set(dataKey, 'written by someone else', { ttlSeconds: 60 });
    expect(await keyv.get('k')).toBeUndefined();
    expect(errors[0]).toBeInstanceOf(CorruptRecordError);
    expect(await keyv.delete('k')).toBe(true); // it was there, and now it is gone
    expect(await keyv.has('k')).toBe(false);
  });

  it('rejects non-string values with a TypeError on the error event', async () => {
    const { keyv } = recorded();
    const errors: unknown[] = [];
    keyv.on('error', (e) => errors.push(e));
    expect(await keyv.set('k', { not: 'serialized' } as unknown as string)).toBe(false);
    expect(errors[0]).toBeInstanceOf(TypeError);
    expect(String(errors[0])).toMatch(/serialized strings/);
  });
});

describe('keys', () => {
  it("stores keys over 1 KB under their SHA-256, so any Keyv key works within Momento's 4 KB", async () => {
    const { keyv, seen } = recorded();
    const long = `https://example.com/search?q=${'é'.repeat(3000)}`;
    expect(await keyv.set(long, 'v')).toBe(true);
    expect(await keyv.get(long)).toBe('v');
    expect(await keyv.get(`${long}x`)).toBeUndefined();
    expect(await keyv.has(long)).toBe(true);
    const storedKey = seen.sets.at(-1)!.key;
    expect(storedKey.split('|').at(-1)).toMatch(/^.#[0-9a-f]{64}$/);
    expect(storedKey.split('|').at(-1)!.charCodeAt(0)).toBe(0);
    expect(await keyv.delete(long)).toBe(true);
    expect(await keyv.get(long)).toBeUndefined();
  });

  it('keeps plain keys apart from hashed ones, even one that looks like a hash', async () => {
    const { keyv } = recorded();
    const long = 'k'.repeat(2000);
    await keyv.set(long, 'hashed');
    const digest = new Uint8Array(
      await crypto.subtle.digest('SHA-256', new TextEncoder().encode(long)),
    );
    const lookalike = `\u0000#${Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')}`;
    expect(await keyv.get(lookalike)).toBeUndefined();
    await keyv.set(lookalike, 'plain');
    expect(await keyv.get(long)).toBe('hashed');
    expect(await keyv.get(lookalike)).toBe('plain');
  });
});

describe('namespaces', () => {
  it('follows namespace changes made after construction (as Keyv does)', async () => {
    const { keyv } = recorded();
    keyv.namespace = 'first';
    await keyv.set('k', 'in first');
    keyv.namespace = 'second';
    expect(await keyv.get('k')).toBeUndefined();
    await keyv.set('k', 'in second');
    await keyv.clear();
    keyv.namespace = 'first';
    expect(await keyv.get('k')).toBe('in first');
    await keyv.clear();
  });

  it('builds keys from the namespace and never writes outside it', async () => {
    const { keyv, seen } = recorded({ namespace: 'users' });
    await keyv.set('u1', 'v');
    await keyv.clear();
    const keys = [...seen.sets, ...seen.gets.map((key) => ({ key }))].map((x) => x.key);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key.startsWith('users|')).toBe(true);
  });
});

describe('options', () => {
  it('rejects contradictory or invalid options with the reason', () => {
    const store = local.client().cache('default-cache');
    expect(() => new KeyvMomento({ client: local.client(), store })).toThrow(InvalidArgumentError);
    expect(() => new KeyvMomento({ store, concurrency: 0 })).toThrow(/concurrency/);
    expect(() => new KeyvMomento({ store, timeoutMs: -1 })).toThrow(/timeoutMs/);
    expect(() => new KeyvMomento({ store, maxTtlSeconds: 1.5 })).toThrow(/maxTtlSeconds/);
    const coherence = 'pubsub' as 'ttl';
    expect(() => new KeyvMomento({ store, nearCache: { coherence } })).toThrow(
      InvalidArgumentError,
    );
    expect(() => new KeyvMomento({ store, nearCache: { coherence } })).toThrow(
      /nearCache.coherence must be 'topics' or 'ttl'/,
    );
  });

  it("asked for 'topics' on a store without topics: reports once, works with the short TTL", async () => {
    const reports: string[] = [];
    const keyv = new KeyvMomento({
      store: createMemoryStore(),
      nearCache: { coherence: 'topics' },
      onError: (error, operation) => reports.push(`${operation}: ${(error as Error).name}`),
    });
    expect(reports).toEqual(['coherence: CoherenceUnavailableError']);
    await keyv.set('k', 'v');
    expect(await keyv.get('k')).toBe('v');
  });

  it('does not mutate the caller’s options and shows effective settings in opts', () => {
    const options = Object.freeze({
      client: local.client(),
      cacheName: 'default-cache',
      nearCache: true,
    });
    const keyv = new KeyvMomento(options);
    expect(keyv.opts).toMatchObject({
      dialect: 'momento',
      cacheName: 'default-cache',
      nearCache: true,
      timeoutMs: 2000,
    });
    expect(keyv).not.toHaveProperty('iterator'); // Keyv 5 would require opts.url for an iterator
  });

  it('createKeyv passes Keyv options through: a default TTL, and Keyv-level throwOnErrors', async () => {
    const seen = new RecordingStore(local.client().cache('default-cache'));
    const keyv = createKeyv({ store: seen, namespace: uniqueNamespace(), ttl: 5_000 });
    await keyv.set('k', { a: 1 });
    expect(seen.sets.at(-1)!.ttlSeconds).toBe(5);
    expect(await keyv.get('k')).toEqual({ a: 1 });
    expect(createKeyv({ store: seen, throwOnErrors: true }).throwOnErrors).toBe(true);
  });

  it('rejects a namespace that is not a string when it is set', () => {
    const keyv = new KeyvMomento({ client: local.client() });
    expect(() => {
      (keyv as { namespace: unknown }).namespace = 42;
    }).toThrow(TypeError);
    keyv.namespace = null;
    expect(keyv.namespace).toBeUndefined();
  });
});
