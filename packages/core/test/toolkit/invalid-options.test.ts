/** Every toolkit option check throws InvalidArgumentError naming the option and the reason. */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, MomentoError } from '../../src/client/errors';
import { withChunking } from '../../src/toolkit/chunking';
import { mapConcurrent } from '../../src/toolkit/concurrency';
import { EntryCache } from '../../src/toolkit/entry-cache';
import { FencedNearCache } from '../../src/toolkit/fenced-near-cache';
import { createMemoryStore } from '../../src/toolkit/memory-store';
import { withNamespace } from '../../src/toolkit/namespace';
import { NamespaceGeneration } from '../../src/toolkit/namespace-generation';
import { NearCache } from '../../src/toolkit/near-cache';
import { TagStates } from '../../src/toolkit/tag-states';
import { TaggedEntryReader } from '../../src/toolkit/tagged-entry-reader';
import { TagStore } from '../../src/toolkit/tags';
import { normalizeTtlPolicy, toTtlSeconds } from '../../src/toolkit/ttl';
import { WriteFence } from '../../src/toolkit/write-fence';

const memory = createMemoryStore();
const tagStates = () => new TagStates(new TagStore(memory));
const entries = () => new EntryCache<string>({ store: memory, decode: String });
const reader = (maxKnownKeys: number) =>
  new TaggedEntryReader<string>({
    entries: entries(),
    tags: tagStates(),
    tagsOf: () => [],
    createdAt: () => 0,
    maxKnownKeys,
  });

// [what is called, the call, the text the message must hold]
const cases: [string, () => unknown, RegExp][] = [
  [
    'withNamespace namespace',
    () => withNamespace(memory, 42 as never),
    /^namespace must be a string, got 42/,
  ],
  [
    'withNamespace generationTtlSeconds',
    () => withNamespace(memory, 'ns', { generationTtlSeconds: 0 }),
    /^generationTtlSeconds must be a positive whole number of seconds, got 0/,
  ],
  [
    'withNamespace generationTtlSeconds (fraction)',
    () => withNamespace(memory, 'ns', { generationTtlSeconds: 1.5 }),
    /generationTtlSeconds .* got 1\.5/,
  ],
  [
    'withNamespace generationCacheMs',
    () => withNamespace(memory, 'ns', { generationCacheMs: -1 }),
    /^generationCacheMs must be a number >= 0, got -1/,
  ],
  [
    'NamespaceGeneration namespace',
    () => new NamespaceGeneration(memory, null as never),
    /^namespace must be a string, got null/,
  ],
  [
    'NamespaceGeneration ttlSeconds',
    () => new NamespaceGeneration(memory, 'ns', { ttlSeconds: 0 }),
    /^ttlSeconds must be a positive whole number of seconds, got 0/,
  ],
  [
    'NamespaceGeneration cacheMs',
    () => new NamespaceGeneration(memory, 'ns', { cacheMs: -1 }),
    /^cacheMs must be a number >= 0, got -1/,
  ],
  [
    'NamespaceGeneration timeoutMs',
    () => new NamespaceGeneration(memory, 'ns', { timeoutMs: 0 }),
    /^timeoutMs must be a number >= 1, got 0/,
  ],
  [
    'TagStore ttlSeconds',
    () => new TagStore(memory, { ttlSeconds: 0 }),
    /^ttlSeconds must be a positive whole number of seconds, got 0/,
  ],
  [
    'TagStore concurrency',
    () => new TagStore(memory, { concurrency: 0 }),
    /^concurrency must be a positive whole number, got 0/,
  ],
  [
    'TagStore prefix',
    () => new TagStore(memory, { prefix: 7 as never }),
    /^prefix must be a string, got 7/,
  ],
  [
    'TagStates maxLocalRecords',
    () => new TagStates(new TagStore(memory), { maxLocalRecords: 0 }),
    /^maxLocalRecords must be a positive whole number, got 0/,
  ],
  [
    'TaggedEntryReader maxKnownKeys',
    () => reader(-1),
    /^maxKnownKeys must be a positive whole number, got -1/,
  ],
  [
    'NearCache maxBytes',
    () => new NearCache({ maxBytes: -1 }),
    /^maxBytes must be a number >= 0, got -1/,
  ],
  [
    'NearCache ttlMs',
    () => new NearCache({ ttlMs: Number.NaN }),
    /^ttlMs must be a number >= 0, got NaN/,
  ],
  ['NearCache capTtl', () => new NearCache().capTtl(-5), /^maxMs must be a number >= 0, got -5/],
  [
    'FencedNearCache maxBytes',
    () => new FencedNearCache({ maxBytes: -1 }),
    /^maxBytes must be a number >= 0/,
  ],
  [
    'FencedNearCache maxTrackedWrites',
    () => new FencedNearCache({ maxTrackedWrites: 0 }),
    /^maxTrackedWrites must be a positive whole number, got 0/,
  ],
  [
    'WriteFence maxTrackedKeys',
    () => new WriteFence(0.5),
    /^maxTrackedKeys must be a positive whole number, got 0\.5/,
  ],
  [
    'withChunking maxItemBytes',
    () => withChunking(memory, { maxItemBytes: 100 }),
    /^maxItemBytes must be a whole number of at least \d+ of bytes, got 100/,
  ],
  [
    'withChunking chunkBytes',
    () => withChunking(memory, { chunkBytes: 0 }),
    /^chunkBytes must be a number >= 1, got 0/,
  ],
  [
    'withChunking concurrency',
    () => withChunking(memory, { concurrency: 0 }),
    /^concurrency must be a positive whole number, got 0/,
  ],
  [
    'withChunking maxValueBytes',
    () => withChunking(memory, { maxValueBytes: 0 }),
    /^maxValueBytes must be a number >= 1, got 0/,
  ],
  [
    'withChunking chunkTtlSlackSeconds',
    () => withChunking(memory, { chunkTtlSlackSeconds: -1 }),
    /^chunkTtlSlackSeconds must be a number >= 0, got -1/,
  ],
  [
    'withChunking maxTtlSeconds',
    () => withChunking(memory, { maxTtlSeconds: 0 }),
    /^maxTtlSeconds must be a positive whole number of seconds, got 0/,
  ],
  [
    'createMemoryStore maxTtlSeconds',
    () => createMemoryStore('c', { maxTtlSeconds: 0 }),
    /^maxTtlSeconds must be a positive whole number of seconds, got 0/,
  ],
  [
    'createMemoryStore defaultTtlSeconds',
    () => createMemoryStore('c', { defaultTtlSeconds: -3 }),
    /^defaultTtlSeconds must be a positive whole number of seconds, got -3/,
  ],
  [
    'createMemoryStore maxItemBytes',
    () => createMemoryStore('c', { maxItemBytes: Number.NaN }),
    /^maxItemBytes must be a positive whole number of bytes, got NaN/,
  ],
  [
    'normalizeTtlPolicy maxTtlSeconds',
    () => normalizeTtlPolicy({ maxTtlSeconds: -1 }),
    /^maxTtlSeconds must be a positive whole number of seconds, got -1/,
  ],
  [
    'toTtlSeconds ttlMs',
    () => toTtlSeconds(Number.NaN, normalizeTtlPolicy()),
    /^ttlMs must be a number of milliseconds, got NaN/,
  ],
  [
    'TagStates.invalidate expireInSeconds',
    () => tagStates().invalidate(['t'], { expireInSeconds: -1 }),
    /^expireInSeconds must be a number >= 0, got -1/,
  ],
  [
    'TagStore.invalidate expireInSeconds',
    () => new TagStore(memory).invalidate(['t'], { expireInSeconds: Number.NaN }),
    /^expireInSeconds must be a number >= 0, got NaN/,
  ],
  [
    'mapConcurrent limit',
    () => mapConcurrent([1], 0, async (n) => n),
    /^limit must be a positive whole number or Infinity, got 0/,
  ],
];

describe('bad options', () => {
  it.each(cases)(
    '%s: InvalidArgumentError naming the option and the reason',
    async (_, call, message) => {
      let thrown: unknown;
      try {
        await call();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(InvalidArgumentError);
      expect((thrown as InvalidArgumentError).code).toBe('INVALID_ARGUMENT');
      expect((thrown as Error).message).toMatch(message);
    },
  );

  it('InvalidArgumentError is a MomentoError, not a RangeError or TypeError', () => {
    const error = new InvalidArgumentError('x must be y');
    expect(error).toBeInstanceOf(MomentoError);
    expect(error).not.toBeInstanceOf(RangeError);
    expect(error).not.toBeInstanceOf(TypeError);
  });

  it('the defaults pass every check', () => {
    expect(() => [
      withNamespace(memory, 'ns'),
      new TagStore(memory),
      tagStates(),
      reader(10),
      new FencedNearCache(),
      withChunking(memory),
      createMemoryStore(),
      normalizeTtlPolicy(),
    ]).not.toThrow();
  });
});
