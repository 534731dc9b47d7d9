import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { call, start } from './helpers.js';

let server: RunningServer;
let key: string;
beforeAll(async () => {
  server = await start();
  key = server.createApiKey();
});
afterAll(() => server.close());

/** Polls /metrics until `line` appears or the deadline passes. */
async function waitForMetric(line: string, deadlineMs = 5_000): Promise<string> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const body = (await call(server, '/metrics')).body;
    if (body.includes(line) || Date.now() > until) return body;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('a client that goes away in the middle of a PUT body', () => {
  it('is answered as aborted (400 in the metrics), stores nothing, and the server keeps serving', async () => {
    const { hostname, port } = new URL(server.url);
    const socket = connect(Number(port), hostname);
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    // `Expect: 100-continue`: node answers 100 when it hands the request to the handler, so the
    // body read is known to be under way before the first bytes and the disconnect.
    socket.write(
      `PUT /cache/default-cache?key=half&ttl_seconds=60 HTTP/1.1\r\nHost: x\r\nAuthorization: ${key}\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n`,
    );
    await new Promise<void>((resolve) => {
      let seen = '';
      socket.on('data', (d) => {
        seen += d;
        if (seen.includes('100 Continue')) resolve();
      });
    });
    socket.write('0123456789');
    socket.destroy();

    const metrics = await waitForMetric('op="cache_set",status="400"} 1');
    expect(metrics).toContain('momento_http_requests_total{op="cache_set",status="400"} 1');
    expect(metrics).toMatch(/^momento_http_bytes_in_total 0$/m);
    expect((await call(server, '/cache/default-cache?key=half', { key })).status).toBe(404);
    const put = await call(server, '/cache/default-cache?key=whole&ttl_seconds=60', {
      method: 'PUT',
      key,
      body: 'ok',
    });
    expect(put.status).toBe(204);
  });
});
