/**
 * `pnpm bench next`: requests/s and p99 of a cached ISR page (`/isr/a` of examples/next-app,
 * Next 16.4) under autocannon, one `next start` process per contender, all of one build:
 *   - Next's default cache (in-memory LRU + file system; NEXT_CACHE_HANDLER=next),
 *   - @momento-http/next over the local server (every hit reads the entry and its tags over HTTP),
 *   - the same with the near cache (decoded entries and tag states held in-process for 1 s),
 *   - the smallest custom `cacheHandler` there is, a Map in the process (NEXT_CACHE_HANDLER=map):
 *     what Next itself spends per request on any custom handler, the ceiling for ours,
 *   - Next's default cache in a process that has rendered nothing (see below).
 *
 * Every process first serves one dynamic request (`/api/uc`), as any server does that renders:
 * Next's first render turns on the AsyncLocalStorage promise hooks, which then cost every promise
 * of every request. A default-cache process that has only served prerendered pages never pays
 * that, while a custom handler's process always has (its first request of the page renders it);
 * the last row shows that state, not comparable with the others.
 * The local server runs in its own process; ratios are against the first row.
 */
import { type ChildProcess, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import {
  benchDurationMs,
  benchRounds,
  type Contender,
  compare,
  measureHttp,
  type Sample,
} from './harness';
import {
  cpuMs,
  freePort,
  isBuilt,
  repoRoot as root,
  startChild,
  startMomentoServer,
} from './processes';

const app = `${root}examples/next-app`;
const nextBin = `${app}/node_modules/next/dist/bin/next`;
const PAGE = '/isr/a';
const DYNAMIC = '/api/uc';

async function get(url: string): Promise<Response> {
  const res = await fetch(url);
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  return res;
}

async function startNext(
  env: NodeJS.ProcessEnv,
  renderFirst: boolean,
): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const { child, line } = startChild(
    process.execPath,
    [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'],
    {
      cwd: app,
      env: { NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production', ...env },
      ready: (l) => /Ready|started server/i.test(l),
    },
  );
  await line;
  const origin = `http://127.0.0.1:${port}`;
  if (renderFirst) await get(`${origin}${DYNAMIC}`);
  // Warm until the page is served from the cache.
  for (let i = 0; i < 100; i++) {
    if ((await get(`${origin}${PAGE}`)).headers.get('x-nextjs-cache') === 'HIT') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url: `${origin}${PAGE}`, child };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

export default async function run(): Promise<void> {
  const build = (cmd: string, args: string[], cwd: string) => {
    const r = spawnSync(cmd, args, {
      cwd,
      stdio: 'inherit',
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed`);
  };
  // Next loads the handler from dist: build the two packages when their sources are newer.
  for (const pkg of ['core', 'next']) {
    if (!isBuilt(`${root}packages/${pkg}`)) {
      build('pnpm', ['--filter', `@momento-http/${pkg}`, 'build'], root);
    }
  }
  if (!existsSync(`${app}/.next/BUILD_ID`)) build(process.execPath, [nextBin, 'build'], app);

  const momento = await startMomentoServer();
  const viaMomento = { MOMENTO_ENDPOINT: momento.url, MOMENTO_API_KEY: momento.apiKey };
  const servers = [
    { name: "Next's default cache", env: { NEXT_CACHE_HANDLER: 'next' }, renderFirst: true },
    { name: '@momento-http/next', env: viaMomento, renderFirst: true },
    {
      name: '@momento-http/next + near cache',
      env: { ...viaMomento, MOMENTO_NEAR_CACHE: '1' },
      renderFirst: true,
    },
    {
      name: 'a Map as custom cacheHandler (ceiling)',
      env: { ...viaMomento, NEXT_CACHE_HANDLER: 'map' },
      renderFirst: true,
    },
    {
      name: "Next's default cache, nothing rendered yet",
      env: { NEXT_CACHE_HANDLER: 'next' },
      renderFirst: false,
    },
  ];
  const started: ChildProcess[] = [momento.child];
  const loadBefore = loadavg()[0]!;
  try {
    const contenders: Contender[] = [];
    const cpu = new Map<string, { next: number[]; store: number[] }>();
    for (const s of servers) {
      const next = await startNext(s.env, s.renderFirst);
      started.push(next.child);
      const used = { next: [] as number[], store: [] as number[] };
      cpu.set(s.name, used);
      contenders.push({
        name: s.name,
        measure: async (): Promise<Sample> => {
          await measureHttp({ url: next.url, connections: 32, durationMs: 1000, warmupMs: 0 });
          const before = [cpuMs(next.child.pid), cpuMs(momento.child.pid)];
          const sample = await measureHttp({ url: next.url, connections: 32, warmupMs: 0 });
          const after = [cpuMs(next.child.pid), cpuMs(momento.child.pid)];
          const requests = (sample.opsPerSec * benchDurationMs()) / 1000;
          if (before[0] !== undefined && after[0] !== undefined && requests > 0) {
            used.next.push((after[0] - before[0]) / requests);
            used.store.push((after[1]! - before[1]!) / requests);
          }
          return sample;
        },
      });
    }
    const rows = await compare({
      title: 'next ISR page hit',
      contenders,
      rounds: benchRounds(),
      notes: `GET ${PAGE} (about 6 KB of HTML), 32 connections, each contender a \`next start\` process of one build that first served GET ${DYNAMIC} (except the last); Node ${process.version}; load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after.`,
    });
    const base = cpu.get(rows[0]!.name)?.next ?? [];
    if (base.length) {
      const lines = [
        `| contender | Next CPU ms per request | vs ${rows[0]!.name} | local server CPU ms per request |`,
        '| --- | ---: | ---: | ---: |',
      ];
      for (const row of rows) {
        const used = cpu.get(row.name)!;
        const ms = median(used.next);
        lines.push(
          `| ${row.name} | ${ms.toFixed(2)} | ${(median(base) / ms).toFixed(2)}× | ${median(used.store).toFixed(2)} |`,
        );
      }
      console.log(
        `CPU time per request, medians of the rounds (higher ratio = cheaper):\n\n${lines.join('\n')}\n`,
      );
    }
  } finally {
    for (const child of started) child.kill('SIGTERM');
  }
}
