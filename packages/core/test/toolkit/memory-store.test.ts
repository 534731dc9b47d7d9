import { describe, expect, it } from 'vitest';
import { BadRequestError, InvalidArgumentError, ItemTooLargeError } from '../../src/client/errors';
import { createMemoryStore } from '../../src/toolkit/memory-store';

const text = (bytes: Uint8Array | undefined) =>
  bytes === undefined ? undefined : new TextDecoder().decode(bytes);

describe('createMemoryStore', () => {
  it('round-trips strings and bytes; a miss is undefined', async () => {
    const store = createMemoryStore();
    expect(store.cacheName).toBe('default-cache');
    await store.set('a', 'héllo');
    expect(text(await store.get('a'))).toBe('héllo');
    await store.set('b', new Uint8Array([0, 255, 1]));
    expect(await store.get('b')).toEqual(new Uint8Array([0, 255, 1]));
    expect(await store.get('missing')).toBeUndefined();
  });

  it('treats a string key and its UTF-8 bytes as the same key', async () => {
    const store = createMemoryStore('c');
    await store.set('ké', 'v');
    expect(text(await store.get(new TextEncoder().encode('ké')))).toBe('v');
  });

  it('copies value bytes in and out', async () => {
    const store = createMemoryStore();
    const input = new Uint8Array([1, 2, 3]);
    await store.set('k', input);
    input[0] = 9;
    const out = await store.get('k');
    expect(out).toEqual(new Uint8Array([1, 2, 3]));
    out![1] = 9;
    expect(await store.get('k')).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('copies Node Buffers (whose slice() is a view) and returns plain Uint8Arrays', async () => {
    const store = createMemoryStore();
    const buf = Buffer.from('abc');
    await store.set('k', buf);
    buf[0] = 0x7a;
    const out = await store.get('k');
    expect(text(out)).toBe('abc');
    expect(Object.getPrototypeOf(out)).toBe(Uint8Array.prototype);
  });

  it('expires items after whole-second TTLs', async () => {
    let t = 1_000_000;
    const store = createMemoryStore('c', { now: () => t, defaultTtlSeconds: 5 });
    await store.set('short', 'x', { ttlSeconds: 1 });
    await store.set('default', 'y');
    t += 999;
    expect(text(await store.get('short'))).toBe('x');
    t += 1;
    expect(await store.get('short')).toBeUndefined();
    expect(store.size).toBe(1);
    t += 4000;
    expect(await store.get('default')).toBeUndefined();
  });

  it('rejects what the client and server reject, with the same error classes', async () => {
    const store = createMemoryStore('c', { maxTtlSeconds: 10, maxItemBytes: 8 });
    await expect(store.set('k', 'v', { ttlSeconds: 0 })).rejects.toThrow(InvalidArgumentError);
    await expect(store.set('k', 'v', { ttlSeconds: 1.5 })).rejects.toThrow(InvalidArgumentError);
    await expect(store.set('k', 'v', { ttlSeconds: 11 })).rejects.toThrow(BadRequestError);
    await expect(store.set('', 'v')).rejects.toThrow(InvalidArgumentError);
    await expect(store.get('a\uD800')).rejects.toThrow(InvalidArgumentError);
    await expect(store.get('x'.repeat(4097))).rejects.toThrow(BadRequestError);
    await store.set('k', '1234567'); // 1 + 7 bytes: exactly the limit
    await expect(store.set('k', '12345678')).rejects.toThrow(ItemTooLargeError);
  });

  it('deletes idempotently and lists live keys', async () => {
    const store = createMemoryStore();
    await store.set('a', '1');
    await store.set(new Uint8Array([0xff]), '2');
    await store.delete('a');
    await store.delete('never-written');
    expect(store.keys()).toEqual([new Uint8Array([0xff])]);
  });

  it('rejects with the abort reason when the signal is aborted', async () => {
    const store = createMemoryStore();
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(store.get('a', { signal: controller.signal })).rejects.toThrow('stop');
  });
});
