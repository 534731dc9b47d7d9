import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { start } from './helpers.js';

let server: RunningServer;
beforeAll(async () => {
  server = await start({ headersTimeoutMs: 300, requestTimeoutMs: 600 });
});
afterAll(() => server.close());

/** Writes `parts` slowly on a raw socket and collects what the server answers until it closes. */
function slowRequest(parts: string[]): Promise<{ answer: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = connect(server.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => (answer += d));
    socket.on('close', () => resolve({ answer, ms: Date.now() - started }));
    socket.on('error', () => {});
    socket.on('connect', () => {
      for (const part of parts) socket.write(part);
      // and then never finish
    });
  });
}

describe('slow clients', () => {
  it('headers that never complete get 408 and the connection is closed', async () => {
    const { answer, ms } = await slowRequest([
      'GET /cache/default-cache?key=a HTTP/1.1\r\nHost: x\r\n',
    ]);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeLessThan(5000);
  });

  it('a body that never completes is cut off by the request timeout', async () => {
    const key = server.createApiKey();
    const { answer, ms } = await slowRequest([
      `PUT /cache/default-cache?key=a&ttl_seconds=5 HTTP/1.1\r\nHost: x\r\nAuthorization: ${key}\r\nContent-Length: 100\r\n\r\nabc`,
    ]);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeLessThan(5000);
  });
});
