/**
 * Core client vs plain `undici.request` (keep-alive Agent) vs plain `fetch`, issuing the same
 * requests against the local server, which runs in a child process so that it does not share the
 * client's event loop. Scenarios: get-hit, get-miss, set (100-byte values), concurrency 1 and 64.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import type * as CoreNode from '../../packages/core/src/node';
import { type Contender, compare, measureLoop } from './harness';
import { isBuilt, repoRoot } from './processes';

/** The parts of undici used here (typed locally: the workspace root does not list undici). */
interface UndiciApi {
  Agent: new (options: {
    connections: number;
    keepAliveTimeout: number;
  }) => { close(): Promise<void> };
  request(
    url: string,
    options: {
      method: string;
      headers: Record<string, string>;
      body?: Uint8Array;
      dispatcher: unknown;
    },
  ): Promise<{ statusCode: number; body: { arrayBuffer(): Promise<ArrayBuffer> } }>;
  fetch: unknown;
}
// The very undici the core depends on, so both loops use the same version.
const undici = createRequire(new URL('../../packages/core/package.json', import.meta.url))(
  'undici',
) as UndiciApi;
const { Agent, request } = undici;
const undiciFetch = undici.fetch;

const CACHE = 'default-cache';
const HOT_KEYS = 256;
const VALUE = new Uint8Array(100).fill(120);

async function startServerProcess(): Promise<{ url: string; apiKey: string; child: ChildProcess }> {
  const cli = new URL('../../packages/server/src/cli.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const deadline = Date.now() + 20_000;
  while (!/MOMENTO_API_KEY=\S+/.test(out) || !/listening on (\S+)/.test(out)) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`server did not start:\n${out}`);
    const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
    out += chunk.toString();
  }
  return {
    url: out.match(/listening on (\S+)/)![1]!,
    apiKey: out.match(/MOMENTO_API_KEY=(\S+)/)![1]!,
    child,
  };
}

type Op = 'get-hit' | 'get-miss' | 'set';

function urlFor(base: string, op: Op, i: number): string {
  const key = op === 'get-miss' ? `miss-${i}` : `hot-${i % HOT_KEYS}`;
  const url = `${base}/cache/${CACHE}?key=${key}`;
  return op === 'set' ? `${url}&ttl_seconds=600` : url;
}

/**
 * The built package (what users run) when `pnpm build` is up to date; otherwise the source, which
 * tsx compiles with helpers (`__name`) that cost a little on every call. A build older than any
 * source file is not measured: it would not be the code under review.
 */
async function loadCore(): Promise<{ core: typeof CoreNode; built: boolean }> {
  const dist = new URL('../../packages/core/dist/node.js', import.meta.url);
  if (isBuilt(`${repoRoot}packages/core`, 'dist/node.js'))
    return { core: (await import(dist.href)) as typeof CoreNode, built: true };
  return { core: await import('../../packages/core/src/node'), built: false };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Client-side CPU per call (this process only: the server runs in a child). Unlike ops/s it hardly
 * moves with the load other jobs put on the machine, so it shows what each client itself costs.
 */
function cpuTable(title: string, cpu: Map<string, number[]>, rounds: number): string {
  const base = median(cpu.get('plain undici.request') ?? [Number.NaN]);
  const rows = [...cpu].map(([name, values]) => {
    const us = median(values);
    return `| ${name} | ${us.toFixed(1)} | ${(us / base).toFixed(2)}× |`;
  });
  return [
    `#### ${title}: client CPU per call`,
    '',
    `| contender | CPU µs per call (median of ${rounds}) | vs plain undici.request |`,
    '| --- | ---: | ---: |',
    ...rows,
    '',
  ].join('\n');
}

export default async function run(): Promise<void> {
  const { core: lib, built } = await loadCore();
  const { createClient, fetchTransport } = lib;
  const { url, apiKey, child } = await startServerProcess();
  try {
    const core = createClient({ baseUrl: url, apiKey, env: {} });
    const coreFetch = createClient({
      baseUrl: url,
      apiKey,
      env: {},
      transport: fetchTransport(),
    });
    const agent = new Agent({ connections: 128, keepAliveTimeout: 60_000 });
    const headers = { authorization: apiKey };
    const putHeaders = { authorization: apiKey, 'content-type': 'application/octet-stream' };
    for (let i = 0; i < HOT_KEYS; i++)
      await core.set(CACHE, `hot-${i}`, VALUE, { ttlSeconds: 3600 });

    const coreOp = (client: typeof core, op: Op) => (i: number) =>
      op === 'set'
        ? client.set(CACHE, `hot-${i % HOT_KEYS}`, VALUE, { ttlSeconds: 600 })
        : client.get(CACHE, op === 'get-miss' ? `miss-${i}` : `hot-${i % HOT_KEYS}`);
    const undiciOp = (op: Op) => async (i: number) => {
      const res = await request(urlFor(url, op, i), {
        method: op === 'set' ? 'PUT' : 'GET',
        headers: op === 'set' ? putHeaders : headers,
        body: op === 'set' ? VALUE : undefined,
        dispatcher: agent,
      });
      const body = new Uint8Array(await res.body.arrayBuffer());
      if (res.statusCode >= 300 && res.statusCode !== 404)
        throw new Error(`status ${res.statusCode}`);
      return body;
    };
    const fetchOp =
      (op: Op, f: typeof fetch, extra: Record<string, unknown> = {}) =>
      async (i: number) => {
        const res = await f(urlFor(url, op, i), {
          method: op === 'set' ? 'PUT' : 'GET',
          headers: op === 'set' ? putHeaders : headers,
          body: op === 'set' ? VALUE : undefined,
          ...extra,
        });
        const body = new Uint8Array(await res.arrayBuffer());
        if (res.status >= 300 && res.status !== 404) throw new Error(`status ${res.status}`);
        return body;
      };

    // Many short interleaved samples rather than a few long ones: on a shared machine load comes in
    // bursts of seconds, and short turns spread them evenly over the contenders.
    const durationMs = Number(process.env.BENCH_DURATION_MS ?? 500);
    const rounds = Number(process.env.BENCH_ROUNDS ?? 10);
    for (const op of ['get-hit', 'get-miss', 'set'] as const) {
      for (const concurrency of [1, 64]) {
        const cpu = new Map<string, number[]>();
        const contender = (name: string, fn: (i: number) => Promise<unknown>): Contender => ({
          name,
          measure: async () => {
            await measureLoop(fn, { concurrency, durationMs: 100, warmupMs: 0 });
            const cpu0 = process.cpuUsage();
            const started = performance.now();
            const sample = await measureLoop(fn, { concurrency, durationMs, warmupMs: 0 });
            const used = process.cpuUsage(cpu0);
            const calls = (sample.opsPerSec * (performance.now() - started)) / 1000;
            cpu.set(name, [...(cpu.get(name) ?? []), (used.user + used.system) / calls]);
            return sample;
          },
        });
        const contenders: Contender[] = [
          contender('plain undici.request', undiciOp(op)),
          contender('@momento-http/core (node default)', coreOp(core, op)),
          contender('@momento-http/core (fetch transport)', coreOp(coreFetch, op)),
          contender('plain fetch', fetchOp(op, fetch)),
        ];
        if (process.env.BENCH_CORE_UNDICI_FETCH) {
          contenders.push(
            contender(
              'undici.fetch + Agent',
              fetchOp(op, undiciFetch as unknown as typeof fetch, { dispatcher: agent }),
            ),
          );
        }
        const title = `core ${op} c=${concurrency}`;
        await compare({
          title,
          rounds,
          contenders,
          notes: `100-byte values, ${durationMs} ms per sample (after a 100 ms warm-up), server in a child process on loopback, core from ${built ? 'dist (built)' : 'source (not built)'}.`,
        });
        console.log(cpuTable(title, cpu, rounds));
      }
    }
    await agent.close();
  } finally {
    child.kill();
  }
}
