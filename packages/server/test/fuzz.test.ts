import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { start } from './helpers.js';

/** mulberry32: a tiny seeded PRNG, so every run sends the same requests. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const COUNT = Number(process.env.FUZZ_COUNT ?? 3000);

let server: RunningServer;
let keys: string[];
beforeAll(async () => {
  server = await start({
    maxItemBytes: 4096,
    faults: true,
    clusterActivationMs: 5,
    autoCreateCaches: false,
  });
  keys = [
    server.createApiKey(),
    server.createApiKey({ role: 'readonly' }),
    server.createApiKey({ role: 'writeonly', cache: 'default-cache', keyPrefix: 'p' }),
    server.createApiKey({ expiresInSeconds: 1 }),
  ];
});
afterAll(() => server.close());

interface Raw {
  status: number;
  body: string;
  head: boolean;
}

/** Sends raw bytes on a fresh connection and parses the first response. */
function send(bytes: Buffer, head: boolean): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', () => {}); // EPIPE when the server answers early and closes
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
      if (!status)
        return reject(
          new Error(`no HTTP answer to ${JSON.stringify(bytes.toString('latin1').slice(0, 300))}`),
        );
      const split = text.indexOf('\r\n\r\n');
      resolve({ status, body: split === -1 ? '' : text.slice(split + 4), head });
    });
    socket.on('connect', () => socket.end(bytes));
  });
}

function makeRequest(rnd: () => number): { bytes: Buffer; head: boolean } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const int = (n: number) => Math.floor(rnd() * n);
  const junk = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  const token = () =>
    pick([
      ...keys,
      keys[0]!,
      keys[0]!,
      keys[0]!,
      'garbage',
      '',
      'a.b.c',
      `${keys[0]}x`,
      junk(12).toString('base64'),
      'Bearer x',
    ]);

  const method = pick([
    'GET',
    'GET',
    'PUT',
    'PUT',
    'PUT',
    'DELETE',
    'POST',
    'HEAD',
    'OPTIONS',
    'PATCH',
    'TRACE',
    'FOO',
  ]);
  const path = pick([
    '/cache/default-cache',
    '/cache/default-cache',
    '/cache/nope',
    '/cache/default-cache?key=big&ttl_seconds=60',
    '/cache/default-cache?key=big&ttl_seconds=60',
    '/cache/',
    '/cache',
    '/cache/default-cache/extra',
    `/cache/${encodeURIComponent(junk(6).toString('latin1'))}`,
    '/cache/%zz',
    '/objectstore',
    '/objectstore/s',
    `/objectstore/s/${encodeURIComponent(junk(8).toString('latin1'))}/x`,
    '/objectstore/%/k',
    '/objectstore//k',
    '/ec-cluster',
    '/ec-cluster/c',
    '/ec-cluster/c/shard-configuration',
    '/ec-cluster/c/what/ever',
    '/_faults',
    '/healthz',
    '/metrics',
    '/',
    `/${'a'.repeat(int(5000))}`,
    '/../../etc/passwd',
    '*',
  ]);
  // The pre-built item path often goes alone, so some requests reach the size check (413).
  const params = Array.from({ length: path.includes('?') && rnd() < 0.5 ? 0 : int(5) }, () =>
    pick([
      `key=${encodeURIComponent(junk(int(20)).toString('latin1'))}`,
      `key=${pick(['a', 'p1', '', 'k'.repeat(int(5000))])}`,
      `key_base64=${pick(['ZXhhbXBsZV9rZXk', '%%%', 'a', 'YQ==', 'YQ=', '____', junk(9).toString('base64')])}`,
      `ttl_seconds=${pick(['1', '60', '0', '-1', '1.5', 'x', '99999999999999', '86400', '86401', ''])}`,
      `token=${encodeURIComponent(token())}`,
      'key=a&ttl_seconds=60',
      pick(['&', '=', '%', '==', '&&key', 'key', 'value=1', '%E0%A4%A']),
    ]),
  );
  const target = params.length
    ? `${path}${path.includes('?') ? '&' : '?'}${params.join('&')}`
    : path;
  const headers: string[] = [];
  if (rnd() < 0.8) headers.push(`Authorization: ${token()}`);
  if (rnd() < 0.2)
    headers.push(
      `mo-meta-${pick(['content-type', 'set-cookie', 'x', 'a'.repeat(int(200))])}: ${pick(['v', '', 'x'.repeat(int(300))])}`,
    );
  if (rnd() < 0.1)
    headers.push(`mo-tag-${pick(['env', 'x'.repeat(200)])}: ${pick(['prod', 'bad#', ''])}`);
  if (rnd() < 0.1) headers.push(`mo-persistence: ${pick(['durable', 'ephemeral', 'other'])}`);
  if (rnd() < 0.1) headers.push(`X-Junk-${int(1e6)}: ${'j'.repeat(int(100))}`);
  if (rnd() < 0.02) headers.push(`X-Huge: ${'h'.repeat(20_000)}`); // over node's 16 KiB header limit
  const body =
    path.includes('?') && rnd() < 0.5
      ? junk(4000 + int(2000))
      : pick([
          Buffer.alloc(0),
          junk(int(100)),
          junk(int(6000)),
          junk(5000),
          Buffer.from(
            JSON.stringify({
              name: 'c',
              node_instance_type: 't',
              shard_count: int(3),
              replication_factor: 1,
              enforce_shard_multi_az: true,
            }),
          ),
          Buffer.from(
            JSON.stringify({
              storage_config: { s3: { bucket_name: 'b', iam_role_arn: 'a' } },
              cache_config: { valkey_cluster: { cluster_name: 'c' } },
            }),
          ),
          Buffer.from(
            JSON.stringify({
              path: pick(['/x', { regex: '(' }]),
              status: pick([200, 99, 600, 'x']),
            }),
          ),
          Buffer.from('{"shard_count": 2, "shards_to_remove": "no"}'),
          Buffer.from('{'),
        ]);
  const mode = rnd();
  let head = `${method} ${target} HTTP/1.1\r\nHost: fuzz\r\n${headers.map((h) => `${h}\r\n`).join('')}`;
  let payload = body;
  if (mode < 0.05) {
    head = `${method} ${target} HTTP/9.9\r\n`; // bad version
  } else if (mode < 0.1) {
    head += 'Bad Header Line\r\n';
  } else if (mode < 0.15) {
    head += 'Transfer-Encoding: chunked\r\n';
    payload = Buffer.concat([
      Buffer.from(`${pick(['zz', '5', body.length.toString(16)])}\r\n`),
      body,
      Buffer.from('\r\n0\r\n\r\n'),
    ]);
  } else {
    head += `Content-Length: ${body.length}\r\n`;
  }
  return {
    bytes: Buffer.concat([Buffer.from(`${head}Connection: close\r\n\r\n`, 'latin1'), payload]),
    head: method === 'HEAD',
  };
}

describe('fuzz', () => {
  it(`${COUNT} random and malformed requests (seed ${SEED}): never a crash, never 5xx, always 4xx with a message`, {
    timeout: 120_000,
  }, async () => {
    const rnd = prng(SEED);
    const requests = Array.from({ length: COUNT }, () => makeRequest(rnd));
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const { bytes, head } = requests[next++]!;
        const r = await send(bytes, head);
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        if (r.status >= 500)
          throw new Error(
            `${r.status} for ${JSON.stringify(bytes.toString('latin1').slice(0, 400))}`,
          );
        if (r.status >= 400 && !r.head && r.body.length === 0) {
          throw new Error(
            `${r.status} without a message for ${JSON.stringify(bytes.toString('latin1').slice(0, 400))}`,
          );
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    // The mix reached deep code paths, not only the router's 404.
    const seen = JSON.stringify([...statuses].sort());
    for (const status of [200, 204, 400, 401, 403, 404, 405, 413, 431])
      expect(statuses.get(status) ?? 0, seen).toBeGreaterThan(0);
    expect(
      (
        await send(
          Buffer.from('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
          false,
        )
      ).status,
    ).toBe(200);
  });
});
