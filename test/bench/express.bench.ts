/**
 * Express response caching, hits under autocannon: Express's own ceiling, no cache (a 5 ms
 * origin), apicache in memory, @momento-http/express over the local server (every hit a round
 * trip), and the same with the near cache. Every app and the local server run in child processes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { benchDurationMs, compare, measureHttp } from './harness';

const root = fileURLToPath(new URL('../../', import.meta.url));
const benchDir = `${root}packages/express/bench/`;
const children: ChildProcess[] = [];

/** Starts a TypeScript file in a child process and returns the JSON line it prints when ready. */
async function start<T>(file: string, env: Record<string, string> = {}): Promise<T> {
  const child = spawn(process.execPath, ['--import', 'tsx', `${benchDir}${file}`], {
    cwd: root,
    env: { ...process.env, ...env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(() => {
      throw new Error(`${file} exited before it was ready`);
    }),
  ])) as [string];
  return JSON.parse(line) as T;
}

export default async function run(): Promise<void> {
  try {
    const cache = await start<{ url: string; apiKey: string }>('cache-server.ts');
    const modes = [
      ['Express ceiling (prepared buffer)', 'ceiling'],
      ['no cache (5 ms origin)', 'nocache'],
      ['apicache (memory)', 'apicache'],
      ['@momento-http/express', 'momento'],
      ['@momento-http/express + near cache', 'momento-near'],
    ] as const;
    const contenders = [];
    const cpuPerRequest = new Map<string, number[]>();
    for (const [name, mode] of modes) {
      const { port } = await start<{ port: number }>('app.ts', {
        BENCH_MODE: mode,
        BENCH_CACHE_URL: cache.url,
        BENCH_API_KEY: cache.apiKey,
      });
      const url = `http://127.0.0.1:${port}/item`;
      const cpu = async () =>
        ((await (await fetch(`http://127.0.0.1:${port}/__cpu`)).json()) as { micros: number })
          .micros;
      contenders.push({
        name,
        measure: async () => {
          const durationMs = benchDurationMs();
          // Warm up first (it also fills the caches), then count CPU over the measured run only.
          await measureHttp({ url, connections: 32, durationMs: 1000, warmupMs: 0 });
          const before = await cpu();
          const sample = await measureHttp({ url, connections: 32, durationMs, warmupMs: 0 });
          const used = (await cpu()) - before;
          const list = cpuPerRequest.get(name) ?? [];
          list.push(used / Math.max(1, sample.opsPerSec * (durationMs / 1000)));
          cpuPerRequest.set(name, list);
          return sample;
        },
      });
    }
    const rows = await compare({
      title: 'express response cache hits',
      baseline: 'apicache (memory)',
      contenders,
      notes:
        'Hits of one 500-byte JSON route, 32 connections. Each app and the local cache server run in ' +
        'their own process; without the near cache every hit is one HTTP round trip to the cache server.',
    });
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    console.log('| contender | app CPU µs per request (median) |\n| --- | ---: |');
    for (const row of rows) {
      console.log(`| ${row.name} | ${median(cpuPerRequest.get(row.name) ?? []).toFixed(0)} |`);
    }
  } finally {
    for (const child of children) child.kill();
  }
}
