/**
 * `pnpm bench keyv`: Keyv on @momento-http/keyv (local server, with and without the near cache)
 * side by side with Keyv on @keyv/redis (a local redis-server) and Keyv's in-memory Map.
 *
 * Both servers run in their own processes, as they would in production; the load (32 concurrent
 * loops calling Keyv) runs here. Every contender goes through the same Keyv 5 class, with key
 * prefixing off. Ratios are against @keyv/redis.
 */
import { createRequire } from 'node:module';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createClient } from '@momento-http/core/node';
import { KeyvMomento } from '@momento-http/keyv';
import { type ComparisonRow, type Contender, compare, measureLoop } from './harness';
import { startMomentoServer, startRedis } from './processes';

/** The part of Keyv the workloads use (typed here: keyv resolves from packages/keyv, not from here). */
interface BenchKeyv {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown, ttl?: number): Promise<unknown>;
  getMany(keys: string[]): Promise<unknown>;
  setMany(entries: Array<{ key: string; value: unknown; ttl?: number }>): Promise<unknown>;
  disconnect(): Promise<void>;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

// keyv and @keyv/redis are dev dependencies of packages/keyv; load them from there.
const requireFromKeyv = createRequire(new URL('../../packages/keyv/package.json', import.meta.url));
const { Keyv } = requireFromKeyv('keyv') as {
  Keyv: new (store?: unknown, options?: Record<string, unknown>) => BenchKeyv;
};
const { createKeyv: createRedisKeyv } = requireFromKeyv('@keyv/redis') as {
  createKeyv: (url: string, options?: { namespace?: string }) => BenchKeyv;
};

type AnyKeyv = BenchKeyv;

const KEYS = 1000;
const BATCH = 10;
const CONCURRENCY = 32;
const TTL_MS = 600_000;
const durationMs = Number(process.env.BENCH_DURATION_MS ?? 1500);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const value = (i: number) => ({
  id: i,
  name: `user ${i}`,
  tags: ['a', 'b', 'c'],
  bio: 'x'.repeat(200),
});
const key = (i: number) => `user:${i % KEYS}`;
/** Skewed access, as real caches see: 4 calls in 5 go to the 100 hottest keys (reads and writes alike). */
const skewedKey = (i: number) => {
  const h = Math.imul(i, 2_654_435_761) >>> 0; // scramble, so the skew is independent of the read/write split
  return h % 5 === 0 ? key(h) : key(h % 100);
};

async function prefill(keyv: AnyKeyv): Promise<void> {
  for (let i = 0; i < KEYS; i += 100) {
    await keyv.setMany(
      Array.from({ length: 100 }, (_, j) => ({
        key: key(i + j),
        value: value(i + j),
        ttl: TTL_MS,
      })),
    );
  }
}

/**
 * Optional diagnostics (`KEYV_BENCH_PROBE=1`, off by default): per sample, the rate and latency
 * of sets and of slow gets (over 0.05 ms: a request, or a near hit that queued behind other
 * loops' work or a GC pause, so an upper bound on near misses) apart from the rest,
 * and the event-loop delay, to see where a mix spends its time (the 300 ms warm-up included).
 * Costs a timer read per call.
 */
const probing = process.env.KEYV_BENCH_PROBE === '1';
function probed(name: string, op: (i: number) => Promise<unknown>, isSet: (i: number) => boolean) {
  if (!probing) return { op, report: () => {} };
  const sets: number[] = [];
  const slowGets: number[] = [];
  let gets = 0;
  const delay = monitorEventLoopDelay({ resolution: 1 });
  let since = performance.now();
  const wrapped = async (i: number) => {
    if (sets.length + slowGets.length + gets === 0) {
      delay.reset();
      delay.enable();
      since = performance.now();
    }
    const started = performance.now();
    await op(i);
    const ms = performance.now() - started;
    if (isSet(i)) sets.push(ms);
    else if (ms > 0.05) slowGets.push(ms);
    else gets++;
  };
  const report = () => {
    delay.disable();
    const s = (performance.now() - since) / 1000;
    const pct = (xs: number[], p: number) =>
      (xs.sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))] ?? 0).toFixed(2);
    console.log(
      `probe ${name}: sets ${Math.round(sets.length / s)}/s (p50 ${pct(sets, 0.5)} p99 ${pct(sets, 0.99)} ms), slow gets ${Math.round(slowGets.length / s)}/s (p50 ${pct(slowGets, 0.5)} p99 ${pct(slowGets, 0.99)} ms), fast gets ${Math.round(gets / s)}/s, event-loop delay p50 ${(delay.percentile(50) / 1e6).toFixed(2)} p99 ${(delay.percentile(99) / 1e6).toFixed(2)} ms`,
    );
    sets.length = 0;
    slowGets.length = 0;
    gets = 0;
  };
  return { op: wrapped, report };
}

/** The table of the README and BENCHMARKS.md: one row per workload, `ratio (ops/s)` per contender. */
function printSummary(
  summary: Array<{ title: string; rows: ComparisonRow[] }>,
  names: string[],
  firstColumn = 'workload',
) {
  const header = [firstColumn, ...names.map((n) => n.replace('@momento-http/keyv + ', '+ '))];
  const lines = [
    `| ${header.join(' | ')} |`,
    `| --- | ${names.map(() => '---:').join(' | ')} |`,
    ...summary.map(({ title, rows }) => {
      const cells = names.map((name) => {
        const row = rows.find((r) => r.name === name);
        return row
          ? `${row.ratio.toFixed(2)}× (${Math.round(row.opsPerSec).toLocaleString('en-US')})`
          : '—';
      });
      return `| ${title} | ${cells.join(' | ')} |`;
    }),
  ];
  console.log(`### Summary (ratio to the baseline, ops/s in brackets)\n\n${lines.join('\n')}\n`);
}

/**
 * The store's own cost per request: KeyvMomento (no Keyv, no near cache) against the core client's
 * raw get/set on the same server, so the ratio is the share of the client's request rate the store
 * keeps after its namespace generation, deadline, single-flight, chunking check and record header.
 */
async function measureOverhead(client: ReturnType<typeof createClient>): Promise<void> {
  const cache = client.cache('default-cache');
  const store = new KeyvMomento({ client, namespace: 'bench-overhead' });
  // The same store trusting its generation for a minute: no generation check per call.
  const trusting = new KeyvMomento({
    client,
    namespace: 'bench-overhead',
    generationCacheMs: 60_000,
  });
  const raw = JSON.stringify(value(0));
  for (let i = 0; i < KEYS; i++) {
    await cache.set(key(i), raw, { ttlSeconds: 600 });
    await store.set(key(i), raw, TTL_MS);
  }
  const ops = {
    get: [
      (i: number) => cache.get(key(i)),
      (i: number) => store.get(key(i)),
      (i: number) => trusting.get(key(i)),
    ],
    set: [
      (i: number) => cache.set(key(i), raw, { ttlSeconds: 600 }),
      (i: number) => store.set(key(i), raw, TTL_MS),
      (i: number) => trusting.set(key(i), raw, TTL_MS),
    ],
  } as const;
  const overheadMs = Math.min(durationMs, 1000);
  const summary: Array<{ title: string; rows: ComparisonRow[] }> = [];
  for (const [name, [rawOp, storeOp, trustingOp]] of Object.entries(ops)) {
    const rows = await compare({
      title: `store overhead: ${name} (KeyvMomento without Keyv vs the core client)`,
      contenders: [
        {
          name: 'core client (raw)',
          measure: () => measureLoop(rawOp, { concurrency: CONCURRENCY, durationMs: overheadMs }),
        },
        {
          name: 'KeyvMomento',
          measure: () => measureLoop(storeOp, { concurrency: CONCURRENCY, durationMs: overheadMs }),
        },
        {
          name: 'KeyvMomento, generationCacheMs 60 s',
          measure: () =>
            measureLoop(trustingOp, { concurrency: CONCURRENCY, durationMs: overheadMs }),
        },
      ],
      rounds,
      notes: `${CONCURRENCY} concurrent loops, ${KEYS} keys, the same ~300-byte string, ${overheadMs} ms per sample. By default each store call also waits for its namespace generation check (one read shared by concurrent calls, in parallel with the call's own request); with generationCacheMs it does not.`,
    });
    summary.push({ title: name, rows });
  }
  printSummary(
    summary,
    ['core client (raw)', 'KeyvMomento', 'KeyvMomento, generationCacheMs 60 s'],
    'operation',
  );
}

export default async function run(): Promise<void> {
  const [redis, momento] = await Promise.all([startRedis(), startMomentoServer()]);
  const client = createClient({ baseUrl: momento.url, apiKey: momento.apiKey });
  const stores: Array<{ name: string; keyv: AnyKeyv }> = [
    { name: 'Keyv Map (in-process)', keyv: new Keyv() },
    ...(redis
      ? [{ name: '@keyv/redis', keyv: createRedisKeyv(redis.url, { namespace: 'bench' }) }]
      : []),
    {
      name: '@momento-http/keyv',
      keyv: new Keyv(new KeyvMomento({ client, namespace: 'bench' }), { useKeyPrefix: false }),
    },
    {
      name: '@momento-http/keyv + near cache',
      keyv: new Keyv(new KeyvMomento({ client, namespace: 'bench-near', nearCache: true }), {
        useKeyPrefix: false,
      }),
    },
    {
      // set resolves before its PUT lands: not the contract of the other rows (see the README).
      name: '@momento-http/keyv + near cache + writeBehind',
      keyv: new Keyv(
        new KeyvMomento({ client, namespace: 'bench-wb', nearCache: true, writeBehind: true }),
        { useKeyPrefix: false },
      ),
    },
  ];
  try {
    for (const { keyv } of stores) {
      keyv.on('error', () => {}); // counted by the harness as failed ops instead
      await prefill(keyv);
    }
    const workloads: Array<{
      title: string;
      op: (keyv: AnyKeyv, i: number) => Promise<unknown>;
      /** Which calls are sets (for KEYV_BENCH_PROBE). @default none */
      isSet?: (i: number) => boolean;
    }> = [
      { title: 'keyv get', op: (keyv, i) => keyv.get(key(i)) },
      { title: 'keyv set', isSet: () => true, op: (keyv, i) => keyv.set(key(i), value(i), TTL_MS) },
      {
        title: `keyv getMany (${BATCH} keys)`,
        op: (keyv, i) => keyv.getMany(Array.from({ length: BATCH }, (_, j) => key(i * BATCH + j))),
      },
      {
        title: 'keyv 90% read mix',
        isSet: (i) => i % 10 === 0,
        op: (keyv, i) => (i % 10 === 0 ? keyv.set(key(i), value(i), TTL_MS) : keyv.get(key(i))),
      },
      {
        title: 'keyv 90% read mix, skewed (80% of calls on 100 of the 1000 keys)',
        isSet: (i) => i % 10 === 0,
        op: (keyv, i) =>
          i % 10 === 0 ? keyv.set(skewedKey(i), value(i), TTL_MS) : keyv.get(skewedKey(i)),
      },
      {
        title: 'keyv 98% read mix, skewed (80% of calls on 100 of the 1000 keys)',
        isSet: (i) => i % 50 === 0,
        op: (keyv, i) =>
          i % 50 === 0 ? keyv.set(skewedKey(i), value(i), TTL_MS) : keyv.get(skewedKey(i)),
      },
      {
        title: 'keyv write-heavy mix (90% set)',
        isSet: (i) => i % 10 !== 0,
        op: (keyv, i) => (i % 10 === 0 ? keyv.get(key(i)) : keyv.set(key(i), value(i), TTL_MS)),
      },
    ];
    const summary: Array<{ title: string; rows: ComparisonRow[] }> = [];
    for (const workload of workloads) {
      const contenders: Contender[] = stores.map(({ name, keyv }) => ({
        name,
        measure: async () => {
          const { op, report } = probed(
            name,
            (i) => workload.op(keyv, i),
            workload.isSet ?? (() => false),
          );
          const sample = await measureLoop(op, { concurrency: CONCURRENCY, durationMs });
          report();
          return sample;
        },
      }));
      const rows = await compare({
        title: workload.title,
        contenders,
        baseline: redis ? '@keyv/redis' : stores[0]!.name,
        rounds,
        notes: `${CONCURRENCY} concurrent loops, ${KEYS} keys (uniform unless stated), ~300-byte JSON values, ${durationMs} ms per sample. Servers in child processes on loopback.`,
      });
      summary.push({ title: workload.title.replace(/^keyv /, ''), rows });
    }
    printSummary(
      summary,
      stores.map((s) => s.name),
    );
    await measureOverhead(client);
  } finally {
    for (const { keyv } of stores) await keyv.disconnect().catch(() => {});
    redis?.child.kill();
    momento.child.kill();
  }
}
