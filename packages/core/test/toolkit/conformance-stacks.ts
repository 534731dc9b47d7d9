/**
 * Runs the exported conformance suite against one backend and every stack the core builds on it:
 * each wrapper alone and all of them composed, as an adapter would.
 */
import { describe, expect, it } from 'vitest';
import type { CacheStore } from '../../src/contract';
import { cacheStoreConformance, type StoreConformanceOptions } from '../../src/testing';
import { withChunking } from '../../src/toolkit/chunking';
import { withNamespace } from '../../src/toolkit/namespace';
import { withNearCache } from '../../src/toolkit/with-near-cache';
import { withSingleFlight } from '../../src/toolkit/with-single-flight';

/** withChunking's default item limit less its safety margin: where it starts to chunk. */
const CHUNK_THRESHOLD = 5_000_000 - 1024;

const stacks: [string, (inner: CacheStore) => CacheStore, StoreConformanceOptions][] = [
  ['plain', (s) => s, {}],
  ['withNamespace', (s) => withNamespace(s, `conf-${Math.random()}`), {}],
  ['withChunking', (s) => withChunking(s), { chunkThresholdBytes: CHUNK_THRESHOLD }],
  ['withNearCache', (s) => withNearCache(s), {}],
  ['withSingleFlight', (s) => withSingleFlight(s), {}],
  [
    'all composed',
    (s) => withNamespace(withNearCache(withSingleFlight(withChunking(s))), 'conf'),
    { chunkThresholdBytes: CHUNK_THRESHOLD },
  ],
];

/** Concurrent tests: the one-second TTL waits of the stacks overlap instead of adding up. */
const api = { describe: describe.concurrent, it, expect };

export function conformanceOfEveryStack(backend: string, makeBackend: () => CacheStore): void {
  for (const [stack, wrap, options] of stacks) {
    cacheStoreConformance(`${stack} on ${backend}`, () => wrap(makeBackend()), api, {
      cacheName: 'default-cache',
      ...options,
    });
  }
}
