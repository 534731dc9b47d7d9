/**
 * @momento-http/server throughput: GET-hit and PUT requests/s and p99, side by side with a minimal
 * node:http server doing a Map get/set (the Node ceiling), and, when redis-server is installed,
 * the server over one Redis and over a three-master Redis Cluster with one and with three server
 * processes. Every server runs in its own child process; autocannon runs here.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// The kit's redis module directly: the kit's index loads vitest, which a bench does not run under.
import { findRedisServer, startRedis, startRedisCluster } from '../kit/redis';
import { type Contender, compare, measureHttp, type Sample } from './harness';
import { isBuilt } from './processes';

const root = fileURLToPath(new URL('../..', import.meta.url));
const serverDir = fileURLToPath(new URL('../../packages/server/', import.meta.url));
const srcCli = join(serverDir, 'src/cli.ts');
const builtCli = join(serverDir, 'dist/cli.js');
const DEV_KEY = 'bench-dev-key-0123456789';
const VALUE = 'x'.repeat(100);

/** The ceiling: node:http plus a Map, nothing else (no auth, no parsing beyond the URL). */
const CEILING = `
const http = require('node:http');
const map = new Map();
http.createServer((req, res) => {
  if (req.method === 'GET') {
    const v = map.get(req.url);
    if (v === undefined) { res.writeHead(404, { 'content-length': 0 }).end(); return; }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': v.length }).end(v);
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => { map.set(req.url.replace(/&ttl_seconds=\\d+/, ''), Buffer.concat(chunks)); res.writeHead(204).end(); });
}).listen(0, '127.0.0.1', function () { console.log('export MOMENTO_ENDPOINT=http://127.0.0.1:' + this.address().port); });
`;

interface Child {
  url: string;
  stop: () => Promise<void>;
}

function startChild(args: string[]): Promise<Child> {
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const url = /^export MOMENTO_ENDPOINT=(\S+)$/m.exec(out)?.[1];
      if (url) {
        resolve({
          url,
          stop: () =>
            new Promise<void>((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited early (${code})`)));
  });
}

/**
 * The built CLI (what `momento-http-server` runs) when `pnpm build` is up to date, like the ceiling
 * a plain JS file; otherwise the source through tsx, whose loader and per-closure `__name` helpers
 * cost the server a few percent.
 */
const built = isBuilt(serverDir, 'dist/cli.js');
const momento = (extra: string[]) =>
  startChild([
    ...(built ? [builtCli] : ['--import', 'tsx', srcCli]),
    '--port',
    '0',
    '--dev-key',
    DEV_KEY,
    ...extra,
  ]);

/**
 * One sample over several server processes (the same dataset behind each): the connections are
 * split between them, as a load balancer would, and their throughputs add up.
 */
async function measureSpread(
  urls: string[],
  load: Omit<Parameters<typeof measureHttp>[0], 'url'>,
): Promise<Sample> {
  const each = Math.max(1, Math.round((load.connections ?? 32) / urls.length));
  const samples = await Promise.all(
    urls.map((url) => measureHttp({ ...load, url, connections: each })),
  );
  return {
    opsPerSec: samples.reduce((sum, s) => sum + s.opsPerSec, 0),
    p50Ms: Math.max(...samples.map((s) => s.p50Ms)),
    p99Ms: Math.max(...samples.map((s) => s.p99Ms)),
    errors: samples.reduce((sum, s) => sum + (s.errors ?? 0), 0),
  };
}

export default async function run(): Promise<void> {
  /** Each contender: one or more processes serving the same dataset. */
  const servers: { name: string; children: Child[] }[] = [];
  const redisBinary = findRedisServer();
  const redis = redisBinary ? await startRedis(redisBinary) : undefined;
  const clusterDir = redisBinary
    ? await mkdtemp(join(tmpdir(), 'bench-redis-cluster-'))
    : undefined;
  const cluster =
    redisBinary && clusterDir ? await startRedisCluster(redisBinary, clusterDir) : undefined;
  try {
    servers.push({
      name: 'node:http + Map (ceiling)',
      children: [await startChild(['-e', CEILING])],
    });
    servers.push({ name: 'momento-http-server (memory)', children: [await momento([])] });
    if (redis && cluster) {
      servers.push({
        name: 'momento-http-server (redis)',
        children: [await momento(['--redis-url', redis.url])],
      });
      const overCluster = () => momento(['--redis-cluster', cluster.nodes.join(',')]);
      servers.push({
        name: 'momento-http-server (redis cluster, 1 process)',
        children: [await overCluster()],
      });
      servers.push({
        name: 'momento-http-server (redis cluster, 3 processes)',
        children: await Promise.all([overCluster(), overCluster(), overCluster()]),
      });
    } else console.log('redis-server not installed: Redis and Redis Cluster modes not measured');

    const headers = { authorization: DEV_KEY };
    const item = '/cache/default-cache?key=bench';
    for (const { children } of servers) {
      const url = children[0]!.url;
      const res = await fetch(`${url}${item}&ttl_seconds=3600`, {
        method: 'PUT',
        headers,
        body: VALUE,
      });
      if (res.status !== 204) throw new Error(`seeding ${url} failed: ${res.status}`);
    }
    // Short interleaved turns (see the core bench): load bursts on a shared machine hit all alike.
    // Whole seconds: autocannon rounds a run up to the next second anyway.
    const durationMs = Number(process.env.BENCH_DURATION_MS ?? 2000);
    const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
    const scenario = (title: string, method: 'GET' | 'PUT', path: string, body?: string) =>
      compare({
        title,
        rounds,
        contenders: servers.map(
          ({ name, children }): Contender => ({
            name,
            measure: () =>
              measureSpread(
                children.map((child) => `${child.url}${path}`),
                { method, headers, body, connections: 32, durationMs, warmupMs: 1000 },
              ),
          }),
        ),
        notes: `${method} ${path} with a ${VALUE.length}-byte value, 32 connections (split evenly over a contender's processes), ${durationMs} ms per sample after a 1 s warm-up, autocannon in the parent process, each server in its own child process (the momento server from ${built ? 'dist (built)' : 'source via tsx (not built)'}); the Redis Cluster has three masters, no replicas.`,
      });
    await scenario('server GET hit', 'GET', item);
    await scenario('server PUT', 'PUT', `${item}&ttl_seconds=3600`, VALUE);
  } finally {
    await Promise.all(servers.flatMap(({ children }) => children.map((child) => child.stop())));
    await redis?.stop();
    await cluster?.stop();
    if (clusterDir) await rm(clusterDir, { recursive: true, force: true });
  }
}
