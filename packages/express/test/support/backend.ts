import { undiciTransport } from '@momento-http/core/node';
import { type LocalServer, RecordingStore, startLocalServer } from '@momento-http/test-kit';
import { afterAll } from 'vitest';

/**
 * The setup every suite shares: the kit's local server for the whole test file, started at once
 * (call it with top-level `await`) and closed after the file's tests, plus a recording store on
 * it (`store.idle()` waits for the middleware's fire-and-forget writes). Clients use undici, as
 * an Express app on Node does, and do not retry, so one injected fault costs one request.
 */
export async function fileBackend(): Promise<{ backend: LocalServer; store: RecordingStore }> {
  const backend = await startBackend();
  afterAll(() => backend.close());
  return { backend, store: new RecordingStore(backend.store()) };
}

/** A local server of the test's own (close it yourself). */
export const startBackend = (): Promise<LocalServer> =>
  startLocalServer({ clientOptions: { retries: 0, transport: undiciTransport() } });

let counter = 0;
/** A fresh key prefix, so tests sharing one server never see each other's entries. */
export const uniquePrefix = (): string => `t${process.pid}-${Date.now()}-${++counter}|`;
