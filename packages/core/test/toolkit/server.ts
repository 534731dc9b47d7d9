/** The real local server on port 0 for one test file, and a client bound to it. */
import { type RunningServer, type ServerOptions, startServer } from '@momento-http/server';
import { afterAll, beforeAll } from 'vitest';
import type { CacheStore } from '../../src/contract';
import { createClient, type MomentoClient } from '../../src/index';

export interface LocalServer {
  server: RunningServer;
  client: MomentoClient;
  /** The server's `default-cache` as a CacheStore, over HTTP. */
  store(): CacheStore;
}

export function useLocalServer(options: ServerOptions = {}): LocalServer {
  const ctx = {} as LocalServer;
  beforeAll(async () => {
    ctx.server = await startServer({ port: 0, ...options });
    ctx.client = createClient({
      baseUrl: ctx.server.url,
      apiKey: ctx.server.createApiKey(),
      env: {},
      timeoutMs: 30_000,
    });
  });
  afterAll(async () => {
    await ctx.server?.close();
  });
  ctx.store = () => ctx.client.cache('default-cache');
  return ctx;
}

/** Hex SHA-256, to compare large values cheaply. */
export async function digest(bytes: Uint8Array): Promise<string> {
  const hash = new Uint8Array(
    await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>),
  );
  return Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join('');
}
