import {
  type CacheKey,
  type CacheStore,
  type ClientOptions,
  createClient,
  type MomentoClient,
} from '@momento-http/core';
import { type RunningServer, startServer } from '@momento-http/server';
import { afterAll, beforeAll } from 'vitest';
import { KeyvMomento } from '../src/index';
import type { KeyvMomentoOptions } from '../src/options';

/** The local server for one test file, started on a free port (with fault injection on). */
export interface TestServer {
  server: RunningServer;
  client: MomentoClient;
  /** A client for the same server with other options (e.g. no retries). */
  clientWith(options: ClientOptions): MomentoClient;
  /** A fresh store on the server; a unique namespace per call keeps tests independent. */
  store(options?: KeyvMomentoOptions): KeyvMomento;
}

/** Starts the real local server (port 0) before the file's tests and stops it after. */
export function useServer(): TestServer {
  const ctx = {} as TestServer;
  beforeAll(async () => {
    const server = await startServer({ port: 0, faults: true });
    const apiKey = server.createApiKey();
    ctx.server = server;
    ctx.clientWith = (options) => createClient({ baseUrl: server.url, apiKey, ...options });
    ctx.client = ctx.clientWith({});
    ctx.store = (options = {}) => new KeyvMomento({ client: ctx.client, ...options });
  });
  afterAll(async () => {
    await ctx.server?.close();
  });
  return ctx;
}

let counter = 0;
/** A namespace no other test uses. */
export const uniqueNamespace = (label = 'ns'): string =>
  `${label}-${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

/** Polls `check` until it returns true or `timeoutMs` passes (for state another process changes). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** What a {@link recording} store saw. */
export interface Recorded {
  sets: Array<{ key: string; value: Uint8Array; ttlSeconds: number | undefined }>;
  gets: string[];
  deletes: string[];
  /** Most calls in flight at once. */
  maxInFlight: number;
}

const decoder = new TextDecoder();
const keyText = (key: CacheKey) => (typeof key === 'string' ? key : decoder.decode(key));

/**
 * A pass-through `CacheStore` that records the calls reaching the real store under it (the keys
 * the toolkit built, the TTLs sent, how many requests ran at once). It changes nothing.
 */
export function recording(store: CacheStore): { store: CacheStore; seen: Recorded } {
  const seen: Recorded = { sets: [], gets: [], deletes: [], maxInFlight: 0 };
  let inFlight = 0;
  const track = async <T>(fn: () => Promise<T>): Promise<T> => {
    seen.maxInFlight = Math.max(seen.maxInFlight, ++inFlight);
    try {
      return await fn();
    } finally {
      inFlight--;
    }
  };
  return {
    seen,
    store: {
      cacheName: store.cacheName,
      get(key, options) {
        seen.gets.push(keyText(key));
        return track(() => store.get(key, options));
      },
      set(key, value, options) {
        const bytes = typeof value === 'string' ? new TextEncoder().encode(value) : value;
        seen.sets.push({ key: keyText(key), value: bytes, ttlSeconds: options?.ttlSeconds });
        return track(() => store.set(key, value, options));
      },
      delete(key, options) {
        seen.deletes.push(keyText(key));
        return track(() => store.delete(key, options));
      },
    },
  };
}
