// Core's CacheStore contract on the store stack the handlers build (chunking, single-flight), over
// the memory store and over the real local server.
import {
  createMemoryStore,
  DEFAULT_MAX_ITEM_BYTES,
  DEFAULT_MAX_TTL_SECONDS,
} from '@momento-http/core';
import { cacheStoreConformance } from '@momento-http/core/testing';
import { useLocalServer } from '@momento-http/test-kit';
import { describe, expect, it } from 'vitest';
import { handlerStoreStack } from '../src/store-stack';

const local = useLocalServer({ clientOptions: { timeoutMs: 30_000 } });

const limits = { maxItemBytes: DEFAULT_MAX_ITEM_BYTES, maxTtlSeconds: DEFAULT_MAX_TTL_SECONDS };
const failOnChunkingError = (error: unknown) => {
  throw error;
};
/** withChunking's item limit less its safety margin: where it starts to chunk. */
const chunkThresholdBytes = DEFAULT_MAX_ITEM_BYTES - 1024;
const api = { describe: describe.concurrent, it, expect };

cacheStoreConformance(
  'the handler store stack on the memory store',
  () => handlerStoreStack(createMemoryStore(), limits, failOnChunkingError),
  api,
  { chunkThresholdBytes },
);
cacheStoreConformance(
  'the handler store stack on the local server',
  () => handlerStoreStack(local.store(), limits, failOnChunkingError),
  api,
  { chunkThresholdBytes, cacheName: 'default-cache' },
);
