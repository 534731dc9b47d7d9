/**
 * The three failures a new user meets first (issue 17: "failures are silent"), each on a cache
 * name no other test uses: the default report remembers causes per process, and the cause
 * includes the cache name, so a fresh name is a fresh cause.
 */
import { createServer } from 'node:net';
import type { CacheStore } from '@momento-http/core';
import type { LocalServer } from './local-server';

/** One way to fail, and words its default report must contain. */
export interface FailureCause {
  name: 'misspelt cache name' | 'wrong API key' | 'server down';
  /** A store whose every call fails this way. */
  store: CacheStore;
  /** The cache name `store` uses (unique to this call). */
  cacheName: string;
  /** A phrase of the likely cause the report must name. */
  says: string;
}

let counter = 0;

/**
 * The three causes for `local`, each store on its own unique cache name. `close()` nothing: the
 * "server down" store points at a loopback port that was free a moment ago.
 */
export async function failureCauses(local: LocalServer, label: string): Promise<FailureCause[]> {
  const unique = () => `${label}-${process.pid}-${++counter}`;
  const wrongKey = `${local.apiKey.slice(0, -6)}AAAAAA`;
  const port = await closedPort();
  const misspelt = `no-such-${unique()}`;
  const refused = `wrong-key-${unique()}`;
  const unreachable = `down-${unique()}`;
  return [
    {
      name: 'misspelt cache name',
      store: local.client().cache(misspelt),
      cacheName: misspelt,
      says: `cache '${misspelt}' does not exist`,
    },
    {
      name: 'wrong API key',
      store: local.client({ apiKey: wrongKey }).cache(refused),
      cacheName: refused,
      says: 'refused the API key',
    },
    {
      name: 'server down',
      store: local
        .client({ baseUrl: `http://127.0.0.1:${port}`, retries: 0, timeoutMs: 1000 })
        .cache(unreachable),
      cacheName: unreachable,
      says: `127.0.0.1:${port} could not be reached`,
    },
  ];
}

/** A loopback port nobody listens on (bound, read, released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
