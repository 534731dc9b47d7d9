import { createMemoryStore, InvalidArgumentError } from '@momento-http/core';
import { describe, expect, it } from 'vitest';
import { createIsrHandler } from '../src/isr';
import type { NextCacheOptions } from '../src/options';
import { createUseCacheHandler } from '../src/use-cache';

const bad: [string, NextCacheOptions][] = [
  ['getTimeoutMs', { getTimeoutMs: 0 }],
  ['setTimeoutMs', { setTimeoutMs: Number.NaN }],
  ['maxTtlSeconds', { maxTtlSeconds: 1.5 }],
  ['maxItemBytes', { maxItemBytes: -1 }],
  ['compressAboveBytes', { compressAboveBytes: '10' as unknown as number }],
  ['circuitBreakMs', { circuitBreakMs: -5 }],
  ['nearCache.ttlMs', { nearCache: { ttlMs: 0 } }],
  ['nearCache', { nearCache: 'yes' as unknown as boolean }],
  ['namespace', { namespace: 7 as unknown as string }],
  ['keyPrefix', { keyPrefix: {} as unknown as string }],
  ['onError', { onError: 'log' as unknown as () => void }],
  [
    'store and client',
    { store: createMemoryStore(), client: { cache: () => createMemoryStore() } as never },
  ],
  ['cacheName', { cacheName: ' padded ' }],
  ['cacheName', { store: createMemoryStore(), cacheName: 'another-cache' }],
];

describe('options', () => {
  it.each(bad)('%s: both factories throw InvalidArgumentError naming it', (name, options) => {
    for (const create of [createIsrHandler, createUseCacheHandler]) {
      let thrown: unknown;
      try {
        create(options);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(InvalidArgumentError);
      expect((thrown as Error).message).toContain(name);
    }
  });

  it('accepts the defaults and every option in range, without connecting', () => {
    expect(() =>
      createIsrHandler({
        store: createMemoryStore(),
        getTimeoutMs: 10,
        setTimeoutMs: 10,
        maxTtlSeconds: 60,
        circuitBreakMs: 0,
        nearCache: { ttlMs: 5, maxBytes: 1000 },
      }),
    ).not.toThrow();
    expect(() => createUseCacheHandler()).not.toThrow();
  });
});
