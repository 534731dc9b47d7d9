import { createClient, type MomentoClient } from '@momento-http/core';
import { type RunningServer, startServer } from '@momento-http/server';

/** A local Momento server on a free port with fault injection, and a client for it. */
export interface LocalMomento {
  server: RunningServer;
  client: MomentoClient;
  /** A fresh namespace per app or test, so tests sharing the server never see each other's keys. */
  namespace(): string;
}

let counter = 0;

export async function startLocalMomento(): Promise<LocalMomento> {
  const server = await startServer({ port: 0, faults: true });
  // Retries off: a test that injects a fault wants to see one attempt per call.
  const client = createClient({ apiKey: server.createApiKey(), baseUrl: server.url, retries: 0 });
  return { server, client, namespace: () => `t${process.pid}-${++counter}-${Date.now()}` };
}

/** Polls `check` until it returns true or the deadline passes (never a blind sleep). */
export async function waitFor(
  check: () => Promise<boolean> | boolean,
  { timeoutMs = 8000, intervalMs = 50 } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
