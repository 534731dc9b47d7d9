import { RecordingStore } from '@momento-http/test-kit';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/client/errors';
import type { CacheKey } from '../../src/contract';
import { FRAME_PREFIX, readFrame } from '../../src/toolkit/chunk-manifest';
import { withChunking } from '../../src/toolkit/chunking';
import { ChunkingError } from '../../src/toolkit/errors';
import { createMemoryStore } from '../../src/toolkit/memory-store';
import { sameBytes, text } from './helpers';
import { rng } from './random';

const LIMIT = 10_000;
const str = (key: CacheKey) => (typeof key === 'string' ? key : new TextDecoder().decode(key));

function setup(options: Parameters<typeof withChunking>[1] = {}) {
  let t = 0;
  const memory = createMemoryStore('c', { maxItemBytes: LIMIT, now: () => t });
  const inner = new RecordingStore(memory);
  const errors: ChunkingError[] = [];
  const store = withChunking(inner, {
    maxItemBytes: LIMIT,
    onError: (e) => errors.push(e),
    ...options,
  });
  const advance = (ms: number) => {
    t += ms;
  };
  return { memory, inner, store, errors, advance };
}

const chunkKeys = (memory: ReturnType<typeof createMemoryStore>) =>
  memory
    .keys()
    .map(str)
    .filter((k) => k.includes('#'));

describe('withChunking', () => {
  it('stores values that fit unchanged', async () => {
    const { memory, store } = setup();
    await store.set('s', 'hello');
    await store.set('b', new Uint8Array([0, 1, 2]));
    expect(text(await memory.get('s'))).toBe('hello');
    expect(await store.get('b')).toEqual(new Uint8Array([0, 1, 2]));
    expect(memory.size).toBe(2);
  });

  it('escapes small values that start with the manifest prefix', async () => {
    const { memory, store } = setup();
    const tricky = Uint8Array.of(...FRAME_PREFIX, 0x4d, 1, 2, 3);
    await store.set('k', tricky);
    expect((await memory.get('k'))!.length).toBe(FRAME_PREFIX.length + 1 + tricky.length);
    expect(await store.get('k')).toEqual(tricky);
  });

  it('splits large values into chunks, writes the manifest last, and reads them back', async () => {
    const { memory, inner, store, errors } = setup();
    const value = rng(1).bytes(35_000);
    await store.set('big', value, { ttlSeconds: 60 });
    expect(inner.sets.map((s) => s.key).at(-1)).toBe('big');
    const chunks = chunkKeys(memory);
    expect(chunks.length).toBe(4);
    expect(chunks.every((k) => /^big#[0-9a-f]{32}#\d$/.test(k))).toBe(true);
    expect(sameBytes(await store.get('big'), value)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('works with byte keys and string values', async () => {
    const { store } = setup();
    const key = new Uint8Array([0xff, 0x00, 0x23]);
    const value = 'é'.repeat(20_000);
    await store.set(key, value);
    expect(text(await store.get(key))).toBe(value);
  });

  it('a missing chunk is a miss reported to onError', async () => {
    const { memory, store, errors } = setup();
    await store.set('big', rng(2).bytes(25_000));
    await memory.delete(chunkKeys(memory)[1]!);
    expect(await store.get('big')).toBeUndefined();
    expect(errors.map((e) => e.code)).toEqual(['MISSING_CHUNK']);
  });

  it('a corrupted chunk is a miss reported as an integrity error', async () => {
    const { memory, store, errors } = setup();
    await store.set('big', rng(3).bytes(25_000));
    const victim = chunkKeys(memory)[0]!;
    const chunk = (await memory.get(victim))!;
    chunk[100] = (chunk[100] as number) ^ 1;
    await memory.set(victim, chunk);
    expect(await store.get('big')).toBeUndefined();
    await memory.set(victim, chunk.subarray(1));
    expect(await store.get('big')).toBeUndefined();
    expect(errors.map((e) => e.code)).toEqual(['INTEGRITY', 'INTEGRITY']);
    expect(errors[0]).toBeInstanceOf(ChunkingError);
  });

  it('a framed value it does not understand is a reported miss, not returned', async () => {
    const { memory, store, errors } = setup();
    await memory.set('k', Uint8Array.of(...FRAME_PREFIX, 0x4d, 99));
    await memory.set('j', Uint8Array.of(...FRAME_PREFIX, 0x5a));
    expect(await store.get('k')).toBeUndefined();
    expect(await store.get('j')).toBeUndefined();
    expect(errors.map((e) => e.code)).toEqual(['BAD_MANIFEST', 'BAD_MANIFEST']);
  });

  it('an overwrite never mixes chunks of two writes, whatever the interleaving', async () => {
    const { inner, store } = setup({ concurrency: 1 });
    const a = rng(10).bytes(30_000);
    const b = rng(11).bytes(30_000);
    await store.set('k', a);
    // A second wrapper writing b, whose chunk writes we interleave with reads.
    const reads: (Uint8Array | undefined)[] = [];
    const reader = withChunking(inner, { maxItemBytes: LIMIT });
    const observing = withChunking(
      {
        ...inner,
        cacheName: 'c',
        get: inner.get,
        delete: inner.delete,
        set: async (key, value, opts) => {
          reads.push(await reader.get('k'));
          await inner.set(key, value, opts);
          reads.push(await reader.get('k'));
        },
      },
      { maxItemBytes: LIMIT },
    );
    await observing.set('k', b);
    expect(reads.length).toBeGreaterThan(4);
    const last = reads.pop();
    expect(sameBytes(last, b)).toBe(true);
    expect(reads.every((read) => sameBytes(read, a))).toBe(true);
  });

  it('gives chunks a TTL that outlives the manifest, capped to the maximum', async () => {
    const { memory, store, advance } = setup({ chunkTtlSlackSeconds: 30, maxTtlSeconds: 100 });
    await store.set('k', rng(4).bytes(25_000), { ttlSeconds: 60 });
    advance(60_000);
    expect(await store.get('k')).toBeUndefined();
    expect(chunkKeys(memory).length).toBe(3); // chunks live 30 s longer
    advance(30_000);
    expect(chunkKeys(memory).length).toBe(0);
    await store.set('k', rng(4).bytes(25_000), { ttlSeconds: 90 });
    advance(99_000);
    expect(chunkKeys(memory).length).toBe(3); // 90 + 30 capped to 100
    advance(1000);
    expect(chunkKeys(memory).length).toBe(0);
  });

  it('delete removes the manifest; with deleteChunks also the chunks', async () => {
    const plain = setup();
    await plain.store.set('k', rng(5).bytes(25_000));
    await plain.store.delete('k');
    expect(await plain.store.get('k')).toBeUndefined();
    expect(chunkKeys(plain.memory).length).toBe(3);

    const thorough = setup({ deleteChunks: true });
    await thorough.store.set('k', rng(5).bytes(25_000));
    await thorough.store.delete('k');
    expect(thorough.memory.size).toBe(0);
    await thorough.store.delete('never-written');
  });

  it('store failures propagate; a throwing onError does not fail the read', async () => {
    const { memory, store } = setup({
      onError: () => {
        throw new Error('hook bug');
      },
    });
    await expect(store.set('k', rng(6).bytes(25_000), { ttlSeconds: 0 })).rejects.toThrow(
      InvalidArgumentError,
    );
    await memory.set('k', Uint8Array.of(...FRAME_PREFIX, 0x5a));
    expect(await store.get('k')).toBeUndefined();
  });

  it('refuses manifests announcing more than maxValueBytes', async () => {
    const { store, errors } = setup({ maxValueBytes: 20_000 });
    await store.set('k', rng(7).bytes(25_000));
    expect(await store.get('k')).toBeUndefined();
    expect(errors.map((e) => e.code)).toEqual(['BAD_MANIFEST']);
  });

  it('honours chunkBytes and validates options', async () => {
    const { memory, store } = setup({ chunkBytes: 4000 });
    await store.set('k', rng(8).bytes(12_001));
    expect(chunkKeys(memory).length).toBe(4);
    const frame = readFrame((await memory.get('k'))!);
    expect(frame.kind === 'manifest' && frame.manifest.chunkSize).toBe(4000);
    expect(() => withChunking(memory, { maxItemBytes: 100 })).toThrow(InvalidArgumentError);
    expect(() => withChunking(memory, { chunkBytes: 0 })).toThrow(InvalidArgumentError);
  });
});
