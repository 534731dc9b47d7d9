/**
 * The one benchmark harness every package uses (`pnpm bench [name…]`).
 *
 * Contenders run side by side in one process tree, interleaved round by round so that machine noise
 * hits them alike; the table reports the median of the rounds and each contender's ratio to the
 * baseline (the first contender unless `baseline` names another). Results are also written as JSON
 * to test/bench/results/<slug>.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';

/** One measurement of one contender in one round. */
export interface Sample {
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors?: number;
}

export interface Contender {
  name: string;
  /** Runs one measurement. Called once per round. */
  measure: () => Promise<Sample>;
}

export interface CompareOptions {
  title: string;
  contenders: Contender[];
  /** Name of the contender ratios are computed against. @default the first contender */
  baseline?: string;
  /** @default 5, or BENCH_ROUNDS */
  rounds?: number;
  /** Free text printed under the table (what was measured, machine notes). */
  notes?: string;
}

export interface ComparisonRow {
  name: string;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  ratio: number;
  errors: number;
  samples: Sample[];
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export const benchRounds = (): number => Number(process.env.BENCH_ROUNDS ?? 5);
export const benchDurationMs = (): number => Number(process.env.BENCH_DURATION_MS ?? 3000);

/** Runs every contender `rounds` times, interleaved, prints a markdown table and writes JSON. */
export async function compare(options: CompareOptions): Promise<ComparisonRow[]> {
  const rounds = options.rounds ?? benchRounds();
  const samples = new Map<string, Sample[]>(options.contenders.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    // Rotate the starting contender so no one always runs on a cold or warm machine.
    for (let i = 0; i < options.contenders.length; i++) {
      const contender = options.contenders[(i + round) % options.contenders.length]!;
      samples.get(contender.name)!.push(await contender.measure());
    }
  }
  const baselineName = options.baseline ?? options.contenders[0]!.name;
  const rows = options.contenders.map((c) => {
    const s = samples.get(c.name)!;
    return {
      name: c.name,
      opsPerSec: median(s.map((x) => x.opsPerSec)),
      p50Ms: median(s.map((x) => x.p50Ms)),
      p99Ms: median(s.map((x) => x.p99Ms)),
      errors: s.reduce((n, x) => n + (x.errors ?? 0), 0),
      ratio: 0,
      samples: s,
    };
  });
  const base = rows.find((r) => r.name === baselineName)!.opsPerSec;
  for (const row of rows) row.ratio = base > 0 ? row.opsPerSec / base : 0;
  console.log(formatTable(options.title, rows, baselineName, rounds, options.notes));
  await writeResults(options.title, { title: options.title, rounds, baseline: baselineName, rows });
  return rows;
}

export function formatTable(
  title: string,
  rows: ComparisonRow[],
  baseline: string,
  rounds: number,
  notes?: string,
): string {
  const lines = [
    `### ${title}`,
    '',
    `| contender | ops/s (median of ${rounds}) | ratio vs ${baseline} | p50 ms | p99 ms | errors |`,
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${Math.round(r.opsPerSec).toLocaleString('en-US')} | ${r.ratio.toFixed(2)}× | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${r.errors} |`,
    ),
  ];
  if (notes) lines.push('', notes);
  return `${lines.join('\n')}\n`;
}

async function writeResults(title: string, data: unknown): Promise<void> {
  const dir = new URL('./results/', import.meta.url);
  await mkdir(dir, { recursive: true });
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  await writeFile(new URL(`${slug}.json`, dir), `${JSON.stringify(data, null, 2)}\n`);
}

/**
 * Measures an async operation in-process: `concurrency` loops call `op` for `durationMs`.
 * Latencies are per call; ops/s counts completed calls.
 */
export async function measureLoop(
  op: (i: number) => Promise<unknown>,
  { concurrency = 1, durationMs = benchDurationMs(), warmupMs = 300 } = {},
): Promise<Sample> {
  const run = async (ms: number, record: boolean) => {
    const latencies: number[] = [];
    let errors = 0;
    let counter = 0;
    const end = performance.now() + ms;
    const worker = async () => {
      while (performance.now() < end) {
        const started = performance.now();
        try {
          await op(counter++);
        } catch {
          errors++;
        }
        if (record) latencies.push(performance.now() - started);
      }
    };
    const startedAt = performance.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    return { latencies, errors, elapsed: performance.now() - startedAt };
  };
  if (warmupMs > 0) await run(warmupMs, false);
  const { latencies, errors, elapsed } = await run(durationMs, true);
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return {
    opsPerSec: (latencies.length / elapsed) * 1000,
    p50Ms: pct(0.5),
    p99Ms: pct(0.99),
    errors,
  };
}

export interface HttpLoadOptions {
  url: string;
  method?: 'GET' | 'PUT' | 'POST' | 'HEAD' | 'DELETE';
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** @default 32 */
  connections?: number;
  /** @default 1 */
  pipelining?: number;
  durationMs?: number;
  /** @default 1000 */
  warmupMs?: number;
}

/**
 * Measures an HTTP endpoint with autocannon (the load generator runs in this process; the server
 * under test should run in a child process so the two do not share one event loop).
 */
export async function measureHttp(options: HttpLoadOptions): Promise<Sample> {
  const run = (ms: number) =>
    autocannon({
      url: options.url,
      method: options.method ?? 'GET',
      headers: options.headers,
      body: options.body,
      connections: options.connections ?? 32,
      pipelining: options.pipelining ?? 1,
      duration: ms / 1000,
    });
  if ((options.warmupMs ?? 1000) > 0) await run(options.warmupMs ?? 1000);
  const result = await run(options.durationMs ?? benchDurationMs());
  const bad = result.non2xx + result.errors + result.timeouts;
  return {
    opsPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: bad,
  };
}
