import type { CacheKey, CacheStore, CacheValue, CallOptions, SetOptions } from '@momento-http/core';
import { createClient } from '@momento-http/core/node';
import { type RunningServer, startServer } from '@momento-http/server';
import { afterAll } from 'vitest';

/** A store that can tell when every write it was given has settled (writes are fire-and-forget). */
export interface TrackedStore extends CacheStore {
  idle(): Promise<void>;
  readonly gets: number;
  readonly sets: number;
}

export function track(store: CacheStore): TrackedStore {
  const pending = new Set<Promise<unknown>>();
  let gets = 0;
  let sets = 0;
  const follow = <T>(promise: Promise<T>) => {
    pending.add(promise);
    const done = () => pending.delete(promise);
    promise.then(done, done);
    return promise;
  };
  return {
    cacheName: store.cacheName,
    get: (key: CacheKey, opts?: CallOptions) => {
      gets++;
      return store.get(key, opts);
    },
    set: (key: CacheKey, value: CacheValue, opts?: SetOptions) => {
      sets++;
      return follow(store.set(key, value, opts));
    },
    delete: (key: CacheKey, opts?: CallOptions) => follow(store.delete(key, opts)),
    async idle() {
      // Writes start a few microtasks after the response, and a chunked value writes its
      // manifest only after its chunks: wait until nothing is pending across a macrotask.
      do {
        while (pending.size) await Promise.allSettled([...pending]);
        await new Promise((resolve) => setTimeout(resolve, 5));
      } while (pending.size);
    },
    get gets() {
      return gets;
    },
    get sets() {
      return sets;
    },
  };
}

/** The local Momento-compatible server, reached over HTTP by the real client. */
export interface Backend {
  server: RunningServer;
  store: (overrides?: { timeoutMs?: number; retries?: number }) => TrackedStore;
  close: () => Promise<void>;
}

export async function startBackend(): Promise<Backend> {
  const server = await startServer({ port: 0, faults: true });
  const apiKey = server.createApiKey();
  return {
    server,
    store: (overrides = {}) =>
      track(
        createClient({ baseUrl: server.url, apiKey, retries: 0, ...overrides }).cache(
          'default-cache',
        ),
      ),
    close: () => server.close(),
  };
}

/**
 * The setup every suite shares: one local server for the whole test file, started at once (call
 * it with top-level `await`) and closed after the file's tests, plus a tracked store on it.
 */
export async function fileBackend(): Promise<{ backend: Backend; store: TrackedStore }> {
  const backend = await startBackend();
  afterAll(() => backend.close());
  return { backend, store: backend.store() };
}

let counter = 0;
/** A fresh key prefix, so tests sharing one server never see each other's entries. */
export const uniquePrefix = (): string => `t${process.pid}-${Date.now()}-${++counter}|`;
