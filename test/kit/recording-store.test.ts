import { createMemoryStore } from '@momento-http/core';
import { describe, expect, it } from 'vitest';
import { eventually, RecordingStore } from './index';

const text = (bytes: Uint8Array | undefined) => bytes && new TextDecoder().decode(bytes);

describe('RecordingStore', () => {
  it('records calls, keys as text, values as bytes, TTLs and concurrency', async () => {
    const store = new RecordingStore(createMemoryStore());
    await Promise.all([store.set('a', 'x', { ttlSeconds: 5 }), store.set(Uint8Array.of(98), 'y')]);
    await store.get('a');
    await store.delete('a');
    expect(store.sets).toEqual([
      { key: 'a', value: Uint8Array.of(120), ttlSeconds: 5 },
      { key: 'b', value: Uint8Array.of(121), ttlSeconds: undefined },
    ]);
    expect(store.gets).toEqual(['a']);
    expect(store.deletes).toEqual(['a']);
    expect(store.maxInFlight).toBe(2);
    store.forget();
    expect(store.sets).toEqual([]);
  });

  it('fails, holds and delays only the calls a rule selects', async () => {
    const store = new RecordingStore(createMemoryStore());
    const refused = new Error('refused');
    store.rule({ method: 'set', key: /^bad/, fail: refused, count: 1 });
    await expect(store.set('bad1', 'v')).rejects.toBe(refused);
    await store.set('bad1', 'v'); // the rule retired
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const release = store.rule({ method: 'get', at: 'response', until: gate });
    const held = store.get('bad1');
    release();
    await store.set('bad1', 'newer');
    expect(store.inFlight).toBe(1);
    open();
    expect(text(await held)).toBe('v'); // the answer as it was when the call started
    expect(text(await store.get('bad1'))).toBe('newer');
  });

  it('idle() waits for fire-and-forget writes', async () => {
    const store = new RecordingStore(createMemoryStore());
    store.rule({ method: 'set', delayMs: 30 });
    void store.set('k', 'v');
    await store.idle();
    expect(store.inFlight).toBe(0);
    expect(text(await store.get('k'))).toBe('v');
  });
});

describe('eventually', () => {
  it('returns the first truthy value, and names what it waited for on timeout', async () => {
    let n = 0;
    expect(await eventually(() => ++n >= 3 && n)).toBe(3);
    await expect(eventually(() => false, { timeoutMs: 30, what: 'the tide' })).rejects.toThrow(
      'the tide not met within 30 ms',
    );
  });
});
