/** Starts the real local server (port 0) for a test file and gives it a super-user key. */
import { type RunningServer, type ServerOptions, startServer } from '@momento-http/server';
import { afterAll, beforeAll } from 'vitest';
import { type ClientOptions, MomentoClient } from '../../src/index';

export interface TestServer {
  server: RunningServer;
  apiKey: string;
  client(options?: ClientOptions): MomentoClient;
  /** Requests the server counted for one operation and status (from /metrics). */
  hits(op: string, status: number): Promise<number>;
}

export function useServer(options: ServerOptions = {}): TestServer {
  const ctx = {} as TestServer;
  beforeAll(async () => {
    ctx.server = await startServer({ port: 0, faults: true, ...options });
    ctx.apiKey = ctx.server.createApiKey();
  });
  afterAll(async () => {
    await ctx.server?.close();
  });
  ctx.client = (extra = {}) =>
    new MomentoClient({ baseUrl: ctx.server.url, apiKey: ctx.apiKey, env: {}, ...extra });
  ctx.hits = async (op, status) => {
    const text = await (await fetch(`${ctx.server.url}/metrics`)).text();
    const line = text
      .split('\n')
      .find((l) => l.startsWith(`momento_http_requests_total{op="${op}",status="${status}"}`));
    return line ? Number(line.split(' ').pop()) : 0;
  };
  return ctx;
}

/** Deterministic pseudo-random bytes. */
export function bytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 255;
  }
  return out;
}

export const text = (value: Uint8Array | undefined) =>
  value === undefined ? undefined : new TextDecoder().decode(value);

/** Byte equality without vitest's element-by-element deep equal (seconds on megabytes). */
export function sameBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
