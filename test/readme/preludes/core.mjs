// Placeholders the core README's snippets continue from: a client (as in its quick start), bytes
// to store, and the adapter-side names of the failure-report snippet.
import { ConnectionError, createClient } from '@momento-http/core';

globalThis.client = createClient();
globalThis.bytes = new Uint8Array([137, 80, 78, 71]);
globalThis.options = {};
globalThis.cacheName = 'default-cache';
globalThis.error = new ConnectionError('fetch failed');

// The object-store snippet caches in "a Valkey cluster of yours".
await globalThis.client.clusters.put('my-cluster', {
  node_instance_type: 'cache.m6g.large',
  shard_count: 1,
  replication_factor: 1,
  enforce_shard_multi_az: false,
});

// The Topics snippet subscribes forever: its first item is the text it published just before (a new
// subscriber gets what the topic still keeps), so `use` ends the run there.
globalThis.use = (value) => {
  if (value !== 'user:42')
    throw new Error(`the first topic item should be 'user:42', got ${value}`);
  process.exit(0);
};
globalThis.dropEverything = () => {
  throw new Error('a fresh topic gave a discontinuity');
};
