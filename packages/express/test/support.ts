import { createServer, get as httpGet, type RequestListener, type Server } from 'node:http';
import type { CacheKey, CacheStore, CacheValue, CallOptions, SetOptions } from '@momento-http/core';
import { createClient } from '@momento-http/core/node';
import { type RunningServer, startServer } from '@momento-http/server';
import express5 from 'express';
import express4 from 'express4';
import { afterAll } from 'vitest';
import {
  type ResponseCacheMiddleware,
  type ResponseCacheOptions,
  responseCache,
} from '../src/index';

/** Both Express majors; every suite runs against each. */
export const frameworks = [
  { name: 'express 5', express: express5 },
  { name: 'express 4', express: express4 },
] as const;

export type ExpressFactory = typeof express5;

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

let counter = 0;
/** A fresh key prefix, so tests sharing one server never see each other's entries. */
export const uniquePrefix = (): string => `t${process.pid}-${Date.now()}-${++counter}|`;

const servers = new Set<Server>();
afterAll(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all([...servers].map((s) => new Promise((resolve) => s.close(resolve))));
  servers.clear();
});

/**
 * A listening HTTP server for `app` (closed after the file's tests). supertest given an app starts
 * a new server, on a new port, per request; the port is part of the Host header and so of the
 * cache key, so tests that expect hits use one server.
 */
export function listen(app: RequestListener): Server {
  // No host argument: the bind is then synchronous (a host would be looked up first), so the
  // server is listening before supertest sees it (it would otherwise start and stop its own).
  const server = createServer(app).listen(0);
  servers.add(server);
  return server;
}

export type App = ReturnType<ExpressFactory>;

/** An app with the cache mounted first and the routes `setup` adds, listening on a port. */
export function cachedApp(
  express: ExpressFactory,
  store: TrackedStore,
  options: ResponseCacheOptions,
  setup: (app: App, cache: ResponseCacheMiddleware) => void,
): { app: Server; cache: ResponseCacheMiddleware; express: App } {
  const app = express();
  const cache = responseCache({ store, keyPrefix: uniquePrefix(), ...options });
  app.use(cache);
  setup(app, cache);
  return { app: listen(app), cache, express: app };
}

/** Polls `check` until it returns true, failing after `ms`. */
export async function eventually(
  check: () => Promise<boolean> | boolean,
  ms = 10_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A GET with node:http that returns the raw bytes (no decompression, unlike supertest). */
export function rawGet(
  server: Server,
  path: string,
  headers: Record<string, string> = {},
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}> {
  const { port } = server.address() as { port: number };
  return new Promise((resolve, reject) => {
    const req = httpGet({ host: '127.0.0.1', port, path, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** A promise released by hand. */
export function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

/** A store whose reads wait for `readGate` (to line concurrent requests up deterministically). */
export function gatedReads(store: TrackedStore, readGate: Promise<void>): TrackedStore {
  return Object.assign(Object.create(store) as TrackedStore, {
    get: async (key: CacheKey, opts?: CallOptions) => {
      await readGate;
      return store.get(key, opts);
    },
  });
}
