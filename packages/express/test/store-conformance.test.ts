// Core's store conformance suite against the stack the middleware builds over the cache
// (single flight over chunking), on the memory store and on the real local server.
import { createMemoryStore } from '@momento-http/core';
import { cacheStoreConformance } from '@momento-http/core/testing';
import { useLocalServer } from '@momento-http/test-kit';
import { describe, expect, it } from 'vitest';
import { composeStore } from '../src/entry-store';

/** withChunking's default item limit less its safety margin: where it starts to chunk. */
const CHUNK_THRESHOLD = 5_000_000 - 1024;
const stack = (store: Parameters<typeof composeStore>[0]['store']) =>
  composeStore({ store, maxTtlSeconds: 86_400, onError: () => {} });
const api = { describe: describe.concurrent, it, expect };

const local = useLocalServer();

cacheStoreConformance(
  'express store stack on the memory store',
  () => stack(createMemoryStore('default-cache')),
  api,
  { cacheName: 'default-cache', chunkThresholdBytes: CHUNK_THRESHOLD },
);
cacheStoreConformance('express store stack on the local server', () => stack(local.store()), api, {
  cacheName: 'default-cache',
  chunkThresholdBytes: CHUNK_THRESHOLD,
});
