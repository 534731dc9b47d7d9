import { RecordingStore } from '@momento-http/test-kit';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/client/errors';
import { createMemoryStore } from '../../src/toolkit/memory-store';
import { withNamespace } from '../../src/toolkit/namespace';
import { NamespaceGenerationError } from '../../src/toolkit/namespace-generation';
import { deferred, text } from './helpers';

const decode = (key: Uint8Array) => new TextDecoder().decode(key);

describe('withNamespace', () => {
  it('scopes keys as <ns>|<gen>|<key> with the generation at <ns>|__gen__', async () => {
    const memory = createMemoryStore();
    const store = withNamespace(memory, 'app');
    expect(store.namespace).toBe('app');
    await store.set('user:1', 'alice');
    expect(text(await store.get('user:1'))).toBe('alice');
    const keys = memory.keys().map(decode);
    expect(keys[0]).toBe('app|__gen__');
    expect(keys[1]).toMatch(/^app\|[0-9a-f]{16}\|user:1$/);
    await store.delete('user:1');
    expect(await store.get('user:1')).toBeUndefined();
  });

  it('prefixes byte keys as bytes', async () => {
    const memory = createMemoryStore();
    const store = withNamespace(memory, 'ns');
    await store.set(new Uint8Array([0xff, 0x00]), 'v');
    expect(text(await store.get(new Uint8Array([0xff, 0x00])))).toBe('v');
    const raw = memory.keys().find((k) => k.at(-1) === 0x00)!;
    expect(Array.from(raw.subarray(-2))).toEqual([0xff, 0x00]);
  });

  it('clear() hides the namespace and leaves other namespaces alone', async () => {
    const memory = createMemoryStore();
    const a = withNamespace(memory, 'a');
    const b = withNamespace(memory, 'b');
    await a.set('k', '1');
    await b.set('k', '2');
    await a.clear();
    expect(await a.get('k')).toBeUndefined();
    expect(text(await b.get('k'))).toBe('2');
    await a.set('k', '3');
    expect(text(await a.get('k'))).toBe('3');
  });

  it('two stores over one cache (two processes) see each other’s clear', async () => {
    const memory = createMemoryStore();
    const one = withNamespace(memory, 'shared');
    const two = withNamespace(memory, 'shared');
    await one.set('k', 'v');
    expect(text(await two.get('k'))).toBe('v');
    await two.clear();
    expect(await one.get('k')).toBeUndefined();
    await one.set('k', 'w');
    expect(text(await two.get('k'))).toBe('w');
  });

  it('a missing generation becomes a NEW random one, so old entries never come back', async () => {
    const memory = createMemoryStore();
    const store = withNamespace(memory, 'ns');
    const generations = new Set<string>();
    for (let i = 0; i < 5; i++) {
      await store.set('k', `v${i}`);
      generations.add(text(await memory.get('ns|__gen__'))!);
      await memory.delete('ns|__gen__'); // evicted or expired
      expect(await store.get('k')).toBeUndefined();
    }
    expect(generations.size).toBe(5);
  });

  it('a malformed generation is reported, reads miss, writes reject, and the key is left alone', async () => {
    const memory = createMemoryStore();
    await memory.set('ns|__gen__', 'garbage');
    const errors: unknown[] = [];
    const store = withNamespace(memory, 'ns', { onError: (e) => errors.push(e) });
    expect(await store.get('k')).toBeUndefined();
    await expect(store.set('k', 'v')).rejects.toThrow(NamespaceGenerationError);
    expect(text(await memory.get('ns|__gen__'))).toBe('garbage'); // never replaced but by clear()
    expect(errors[0]).toBeInstanceOf(NamespaceGenerationError);
    await store.clear();
    await store.set('k', 'v');
    expect(text(await store.get('k'))).toBe('v');
  });

  it('concurrent calls share one generation read', async () => {
    const inner = new RecordingStore(createMemoryStore());
    const store = withNamespace(inner, 'ns');
    await store.clear();
    inner.forget();
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.get(`k${i}`)));
    expect(inner.gets.filter((k) => k === 'ns|__gen__')).toHaveLength(1);
    expect(inner.gets).toHaveLength(11);
    await store.get('k');
    expect(inner.gets.filter((k) => k === 'ns|__gen__')).toHaveLength(2); // not cached by default
  });

  it('generationCacheMs trades freshness for a GET: others’ clears show up after it', async () => {
    let t = 0;
    const now = () => t;
    const inner = new RecordingStore(createMemoryStore('c', { now }));
    const cached = withNamespace(inner, 'ns', { generationCacheMs: 5000, now });
    const other = withNamespace(inner, 'ns', { now });
    // The namespace exists already (a generation this process creates is confirmed once more).
    await other.get('setup');
    await cached.set('k', 'v');
    inner.forget();
    await other.clear();
    expect(text(await cached.get('k'))).toBe('v'); // still on the cached generation
    expect(inner.gets.filter((k) => k === 'ns|__gen__')).toHaveLength(0);
    t += 5000;
    expect(await cached.get('k')).toBeUndefined();
    await cached.set('k', 'x');
    await cached.clear(); // its own clear applies at once
    expect(await cached.get('k')).toBeUndefined();
  });

  it('a generation read from before clear() is not cached after it', async () => {
    const inner = new RecordingStore(createMemoryStore());
    const store = withNamespace(inner, 'ns', { generationCacheMs: 60_000 });
    await store.set('k', 'old');
    const fresh = withNamespace(inner, 'ns', { generationCacheMs: 60_000 });
    const gate = deferred();
    const release = inner.rule({ method: 'get', at: 'response', until: gate.promise });
    const racing = fresh.get('k'); // reads the old generation, held at the gate
    await new Promise((r) => setImmediate(r));
    release();
    await fresh.clear();
    gate.resolve();
    await racing;
    expect(await fresh.get('k')).toBeUndefined();
  });

  it('writes the generation with generationTtlSeconds', async () => {
    let t = 0;
    const memory = createMemoryStore('c', { now: () => t });
    const store = withNamespace(memory, 'ns', { generationTtlSeconds: 10 });
    await store.set('k', 'v', { ttlSeconds: 60 });
    t += 10_000;
    expect(await store.get('k')).toBeUndefined(); // generation expired: a fresh namespace
  });

  it('keeps namespaces containing | or % apart', async () => {
    const memory = createMemoryStore();
    const a = withNamespace(memory, 'a|b');
    const b = withNamespace(memory, 'a%7Cb');
    await a.set('k', '1');
    await b.set('k', '2');
    expect(text(await a.get('k'))).toBe('1');
    expect(memory.keys().map(decode)).toContain('a%7Cb|__gen__');
    expect(memory.keys().map(decode)).toContain('a%257Cb|__gen__');
  });

  it('validates options and honours an aborted signal', async () => {
    const memory = createMemoryStore();
    expect(() => withNamespace(memory, 'ns', { generationTtlSeconds: 0 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => withNamespace(memory, 'ns', { generationCacheMs: -1 })).toThrow(
      InvalidArgumentError,
    );
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(
      withNamespace(memory, 'ns').get('k', { signal: controller.signal }),
    ).rejects.toThrow('stop');
  });
});
