import { createServer, get as httpGet, type RequestListener, type Server } from 'node:http';
import type { RecordingStore } from '@momento-http/test-kit';
import express5 from 'express';
import express4 from 'express4';
import { afterAll } from 'vitest';
import {
  type ResponseCacheMiddleware,
  type ResponseCacheOptions,
  responseCache,
} from '../../src/index';
import { uniquePrefix } from './backend';

/** Both Express majors; every suite runs against each. */
export const frameworks = [
  { name: 'express 5', express: express5 },
  { name: 'express 4', express: express4 },
] as const;

export type ExpressFactory = typeof express5;
export type App = ReturnType<ExpressFactory>;

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

/** An app with the cache mounted first and the routes `setup` adds, listening on a port. */
export function cachedApp(
  express: ExpressFactory,
  store: RecordingStore,
  options: ResponseCacheOptions,
  setup: (app: App, cache: ResponseCacheMiddleware) => void,
): { app: Server; cache: ResponseCacheMiddleware; express: App } {
  const app = express();
  const cache = responseCache({ store, keyPrefix: uniquePrefix(), ...options });
  app.use(cache);
  setup(app, cache);
  return { app: listen(app), cache, express: app };
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
