import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { call, start } from './helpers.js';

let server: RunningServer;
let key: string;
const lines: string[] = [];
beforeAll(async () => {
  server = await start({ log: (line) => lines.push(line) });
  key = server.createApiKey();
});
afterAll(() => server.close());

describe('health, metrics, request log', () => {
  it('GET /healthz is 200 without a key', async () => {
    const r = await call(server, '/healthz');
    expect([r.status, r.body]).toEqual([200, 'ok']);
  });

  it('/metrics has operations by op and status, hits, misses, bytes and a latency histogram', async () => {
    await call(server, '/cache/default-cache?key=m&ttl_seconds=5', {
      method: 'PUT',
      key,
      body: '12345',
    });
    await call(server, '/cache/default-cache?key=m', { key });
    await call(server, '/cache/default-cache?key=none', { key });
    const r = await call(server, '/metrics');
    expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = r.body;
    expect(m).toContain('momento_http_requests_total{op="cache_set",status="204"} 1');
    expect(m).toContain('momento_http_requests_total{op="cache_get",status="200"} 1');
    expect(m).toContain('momento_http_requests_total{op="cache_get",status="404"} 1');
    expect(m).toMatch(/^momento_http_cache_hits_total 1$/m);
    expect(m).toMatch(/^momento_http_cache_misses_total 1$/m);
    expect(m).toMatch(/^momento_http_bytes_in_total 5$/m);
    expect(m).toMatch(/^momento_http_bytes_out_total 5$/m);
    expect(m).toMatch(/^momento_http_evictions_total 0$/m);
    expect(m).toMatch(/^momento_http_request_duration_seconds_bucket\{le="\+Inf"\} \d+$/m);
    expect(m).toMatch(/^momento_http_request_duration_seconds_count \d+$/m);
  });

  it('the request log has method, path, status and time, never the token or the query', async () => {
    lines.length = 0;
    await call(server, `/cache/default-cache?key=secret-key&token=${encodeURIComponent(key)}`);
    await call(server, '/cache/default-cache?key=x', { key });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/ GET \/cache\/default-cache 404 \d+\.\dms$/);
    for (const line of lines) {
      expect(line).not.toContain(key);
      expect(line).not.toContain(key.split('.')[2]!);
      expect(line).not.toContain('secret-key');
    }
  });
});
