/**
 * `pnpm bench coherence`: how long a write in one Keyv process takes to reach another process's
 * near cache over Topics (near `ttlMs` 60 s, coherence 'topics'). The local server and both app
 * processes run in processes of their own. One trial: B holds the old value near and reads it in
 * a loop; A writes a new one; the time from A's write settling to B reading the new value. Without
 * coherence that is up to the near cache's TTL. `BENCH_TRIALS` (default 200) trials; p50 / p99.
 */
import { performance } from 'node:perf_hooks';
import { startPeer } from '../../packages/keyv/test/peer-process';
import { startMomentoServer } from './processes';

const trials = Number(process.env.BENCH_TRIALS ?? 200);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

export default async function run(): Promise<void> {
  const server = await startMomentoServer();
  const options = { url: server.url, apiKey: server.apiKey, namespace: `bench-${process.pid}` };
  const a = startPeer(options);
  const b = startPeer(options);
  try {
    await Promise.all([a.call('get', { key: 'warm-up' }), b.call('get', { key: 'warm-up' })]);
    while ((await a.call('state')) !== 'live' || (await b.call('state')) !== 'live') {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const latencies: number[] = [];
    await a.call('set', { key: 'k', value: 'v0' });
    for (let i = 1; i <= trials; i++) {
      // B holds the previous value near (its first read after an invalidation refills it).
      await b.call('until', { key: 'k', value: `v${i - 1}` });
      await b.call('get', { key: 'k' });
      const seen = b.call('until', { key: 'k', value: `v${i}` });
      await a.call('set', { key: 'k', value: `v${i}` });
      const written = performance.now();
      await seen;
      latencies.push(performance.now() - written);
    }
    latencies.sort((x, y) => x - y);
    console.log('| A writes → B sees (Keyv, two processes) | trials | p50 ms | p99 ms | max ms |');
    console.log('| --- | --: | --: | --: | --: |');
    console.log(
      `| coherence 'topics', near ttlMs 60000 | ${trials} | ${percentile(latencies, 50).toFixed(2)} | ${percentile(latencies, 99).toFixed(2)} | ${latencies.at(-1)!.toFixed(2)} |`,
    );
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    server.child.kill();
  }
}
