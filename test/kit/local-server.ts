/** The real local server on a free loopback port, in memory or Redis mode, with a client for it. */
import {
  type CacheStore,
  type ClientOptions,
  createClient,
  type MomentoClient,
} from '@momento-http/core';
import { type RunningServer, type ServerOptions, startServer } from '@momento-http/server';
import { afterAll, beforeAll } from 'vitest';
import { type RunningRedis, startRedis } from './redis';

/** Where the server keeps its items. */
export type StorageMode = 'memory' | 'redis';

export interface LocalServerOptions extends Omit<ServerOptions, 'port' | 'redisUrl'> {
  /** `'redis'` starts a throwaway redis-server for this server (see `skipWithoutRedis`). @default 'memory' */
  storage?: StorageMode;
  /** Defaults for every client `client()` and `store()` make (e.g. `{ retries: 0 }`). */
  clientOptions?: ClientOptions;
}

export interface LocalServer {
  readonly server: RunningServer;
  /** Base URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** A super-user key signed by this server. */
  readonly apiKey: string;
  readonly storage: StorageMode;
  /** A client for this server; `options` override the defaults (no environment, this URL and key). */
  client(options?: ClientOptions): MomentoClient;
  /** The server's `default-cache` as a CacheStore over HTTP. */
  store(options?: ClientOptions): CacheStore;
  /** Requests the server counted for one operation and status, from its /metrics. */
  requestCount(op: string, status: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * Starts the local server on port 0. Fault injection (`server.faults`) is on unless
 * `faults: false` is passed; tests own this server, so the switch costs nothing.
 */
export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  const { storage = 'memory', clientOptions, ...serverOptions } = options;
  const redis: RunningRedis | undefined = storage === 'redis' ? await startRedis() : undefined;
  let server: RunningServer;
  try {
    server = await startServer({ faults: true, ...serverOptions, port: 0, redisUrl: redis?.url });
  } catch (error) {
    await redis?.stop();
    throw error;
  }
  const apiKey = server.createApiKey();
  // `env: {}`: a developer's MOMENTO_* variables must not redirect tests to a real cache.
  const client = (extra: ClientOptions = {}) =>
    createClient({ baseUrl: server.url, apiKey, env: {}, ...clientOptions, ...extra });
  return {
    server,
    url: server.url,
    apiKey,
    storage,
    client,
    store: (extra) => client(extra).cache('default-cache'),
    requestCount: (op, status) => requestCount(server.url, op, status),
    async close() {
      await server.close();
      await redis?.stop();
    },
  };
}

/**
 * {@link startLocalServer} for one test file or `describe` block: started in `beforeAll`, closed in
 * `afterAll`. The returned handle may be captured at the top level and used inside tests.
 */
export function useLocalServer(options: LocalServerOptions = {}): LocalServer {
  let running: LocalServer | undefined;
  beforeAll(async () => {
    running = await startLocalServer(options);
  }, 20_000);
  afterAll(async () => {
    await running?.close();
    running = undefined;
  });
  const current = (): LocalServer => {
    if (!running) throw new Error('useLocalServer: the server exists only while tests run');
    return running;
  };
  return {
    get server() {
      return current().server;
    },
    get url() {
      return current().url;
    },
    get apiKey() {
      return current().apiKey;
    },
    storage: options.storage ?? 'memory',
    client: (extra) => current().client(extra),
    store: (extra) => current().store(extra),
    requestCount: (op, status) => current().requestCount(op, status),
    close: () => current().close(),
  };
}

async function requestCount(url: string, op: string, status: number): Promise<number> {
  const metrics = await (await fetch(`${url}/metrics`)).text();
  const prefix = `momento_http_requests_total{op="${op}",status="${status}"} `;
  const line = metrics.split('\n').find((l) => l.startsWith(prefix));
  return line ? Number(line.slice(prefix.length)) : 0;
}
