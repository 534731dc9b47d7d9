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
