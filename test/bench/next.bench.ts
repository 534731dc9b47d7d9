/**
 * `pnpm bench next`: requests/s and p99 of cached ISR pages of examples/next-app (Next 16.4) under
 * autocannon, one `next start` process per contender, all of one build, in two workloads:
 *   - one hot ISR page (`/isr/a`): Next shares one in-flight cache read among the concurrent
 *     requests for a page, so the store's speed hardly shows;
 *   - 1,000 ISR pages (`/many/0` … `/many/999`), 80 % of the requests on 100 of them: reads are
 *     not shared, so the store's speed shows.
 * Contenders:
 *   - Next's default cache (in-memory LRU + file system; NEXT_CACHE_HANDLER=next),
 *   - @fortedigital/nextjs-cache-handler 3.3.0 over a local redis-server (NEXT_CACHE_HANDLER=forte),
 *     the most used peer handler, when redis-server is installed: the baseline of the ratios,
 *   - @momento-http/next over the local server (every hit reads the entry and its tags over HTTP),
 *   - the same with the near cache (decoded entries and tag states held in-process for 1 s),
 *   - the smallest custom `cacheHandler` there is, a Map in the process (NEXT_CACHE_HANDLER=map):
 *     what Next itself spends per request on any custom handler, the ceiling for ours,
 *   - Next's default cache in a process that has rendered nothing (hot page only; see below).
 *
 * Every process first serves one dynamic request (`/api/uc`), as any server does that renders:
 * Next's first render turns on the AsyncLocalStorage promise hooks, which then cost every promise
 * of every request. A default-cache process that has only served prerendered pages never pays
 * that, while a custom handler's process always has (its first request of the page renders it);
 * the last row shows that state, not comparable with the others.
 * The local server and redis-server run in their own processes. CPU per request divides by
 * autocannon's request totals.
 */
import { type ChildProcess, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { benchRounds, type Contender, compare, type Sample } from './harness';
import { measureWorkload, onePage, skewedPages, type Workload, warm } from './next-load';
import {
  cpuMs,
  freePort,
  isBuilt,
  repoRoot as root,
  startChild,
  startMomentoServer,
  startRedis,
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
  // A build from before the 1,000-page route was added is rebuilt.
  if (!existsSync(`${app}/.next/server/app/many`)) build(process.execPath, [nextBin, 'build'], app);

  const momento = await startMomentoServer();
  const redis = await startRedis();
  const viaMomento = { MOMENTO_ENDPOINT: momento.url, MOMENTO_API_KEY: momento.apiKey };
  const FORTE = '@fortedigital/nextjs-cache-handler (redis)';
  const servers = [
    { name: "Next's default cache", env: { NEXT_CACHE_HANDLER: 'next' }, renderFirst: true },
    ...(redis
      ? [
          {
            name: FORTE,
            env: { NEXT_CACHE_HANDLER: 'forte', REDIS_URL: redis.url },
            renderFirst: true,
          },
        ]
      : []),
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
  const workloads: Workload[] = [onePage(PAGE), skewedPages('/many/', 1000, 100, 0.8)];
  const started: ChildProcess[] = [momento.child, ...(redis ? [redis.child] : [])];
  const loadBefore = loadavg()[0]!;
  try {
    const running: { name: string; origin: string; child: ChildProcess; renderFirst: boolean }[] =
      [];
    for (const s of servers) {
      const next = await startNext(s.env, s.renderFirst);
      started.push(next.child);
      running.push({ ...s, origin: new URL(next.url).origin, child: next.child });
    }
    for (const workload of workloads) {
      // Rendering 1,000 pages is what the "nothing rendered" row must not have done.
      const serving = workload.paths.length > 1 ? running.filter((r) => r.renderFirst) : running;
      if (workload.paths.length > 1) {
        // Twice: the first pass renders and stores, the second checks every page is served.
        for (const r of serving)
          for (let pass = 0; pass < 2; pass++) await warm(r.origin, workload);
      }
      const cpu = new Map<string, { next: number[]; store: number[] }>();
      const contenders: Contender[] = serving.map((r) => {
        const used = { next: [] as number[], store: [] as number[] };
        cpu.set(r.name, used);
        const storePid = r.name === FORTE ? redis?.child.pid : momento.child.pid;
        return {
          name: r.name,
          measure: async (): Promise<Sample> => {
            await measureWorkload(r.origin, workload, { durationMs: 1000 });
            const before = [cpuMs(r.child.pid), cpuMs(storePid)];
            const { sample, requests } = await measureWorkload(r.origin, workload);
            const after = [cpuMs(r.child.pid), cpuMs(storePid)];
            if (before[0] !== undefined && after[0] !== undefined && requests > 0) {
              used.next.push((after[0] - before[0]) / requests);
              used.store.push((after[1]! - before[1]!) / requests);
            }
            return sample;
          },
        };
      });
      const rows = await compare({
        title: `next ISR: ${workload.name}`,
        contenders,
        baseline: redis ? FORTE : undefined,
        rounds: benchRounds(),
        notes: `${workload.name}, 32 connections, each contender a \`next start\` process of one build that first served GET ${DYNAMIC} (except "nothing rendered yet"); ratios against ${redis ? FORTE : "Next's default cache"}; store CPU is the local server's, or redis-server's for ${FORTE}; Node ${process.version}; load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after.`,
      });
      const base = cpu.get(redis ? FORTE : rows[0]!.name)?.next ?? [];
      if (base.length) {
        const lines = [
          `| contender | Next CPU ms per request | vs ${redis ? FORTE : rows[0]!.name} | store CPU ms per request |`,
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
    }
  } finally {
    for (const child of started) child.kill('SIGTERM');
  }
}
