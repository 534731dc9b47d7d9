/**
 * Core's CacheStore conformance suite against the store stack the module builds for responses
 * and tags (`MomentoCacheContext.store`), over the memory store and over the real local server.
 */
import { type CacheStore, createMemoryStore } from '@momento-http/core';
import { cacheStoreConformance } from '@momento-http/core/testing';
import {
  MOMENTO_CACHE,
  type MomentoCacheContext,
  MomentoCacheModule,
  type MomentoCacheModuleOptions,
} from '@momento-http/nestjs';
import { useLocalServer } from '@momento-http/test-kit';
import { Test, type TestingModule } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** withChunking's default item limit less its safety margin: where the stack starts to chunk. */
const CHUNK_THRESHOLD = 5_000_000 - 1024;

const local = useLocalServer({ clientOptions: { retries: 0 } });

/** The module's store stack for `options`, built by Nest as an app would build it. */
function moduleStore(options: () => MomentoCacheModuleOptions): () => CacheStore {
  let moduleRef: TestingModule | undefined;
  let store: CacheStore | undefined;
  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [MomentoCacheModule.forRoot(options())],
    }).compile();
    store = moduleRef.get<MomentoCacheContext>(MOMENTO_CACHE).store;
  });
  afterAll(() => moduleRef?.close());
  return () => store!;
}

// Sequential: on a loaded machine, overlapping tests can stretch a 1-second TTL check past its TTL.
const api = { describe, it, expect };

describe('the module stack on the memory store', () => {
  const store = moduleStore(() => ({ store: createMemoryStore() }));
  cacheStoreConformance('nestjs stack on memory', store, api, {
    chunkThresholdBytes: CHUNK_THRESHOLD,
    cacheName: 'default-cache',
  });
});

describe('the module stack on the local server', () => {
  const store = moduleStore(() => ({ client: local.client() }));
  cacheStoreConformance('nestjs stack on the local server', store, api, {
    chunkThresholdBytes: CHUNK_THRESHOLD,
    cacheName: 'default-cache',
  });
});
