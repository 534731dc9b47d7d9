/**
 * The two loads of `pnpm bench next`, each measured with autocannon and returned with its total
 * request count (from autocannon's totals: a 3-s round can last longer than 3 s, so ops/s ×
 * duration miscounts the requests that CPU time is divided by).
 */
import autocannon from 'autocannon';
import { benchDurationMs, type Sample } from './harness';

/** A workload: the path of each request. */
export interface Workload {
  name: string;
  /** Every path the workload requests (warmed before measuring). */
  paths: string[];
  /** The path of the next request. */
  next: () => string;
}

/** One hot page: every request the same path. */
export function onePage(path: string): Workload {
  return { name: `one hot page (${path})`, paths: [path], next: () => path };
}

/**
 * `total` pages `${prefix}0` … where `hotShare` of the requests go to the first `hot` pages and
 * the rest to the others, each uniformly (pseudo-random with a fixed seed: every contender gets
 * the same sequence).
 */
export function skewedPages(
  prefix: string,
  total: number,
  hot: number,
  hotShare: number,
): Workload {
  const paths = Array.from({ length: total }, (_, i) => `${prefix}${i}`);
  let x = 0x9e3779b9;
  const random = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  return {
    name: `${total} pages, ${Math.round(hotShare * 100)} % of requests on ${hot}`,
    paths,
    next: () =>
      random() < hotShare
        ? paths[Math.floor(random() * hot)]!
        : paths[hot + Math.floor(random() * (total - hot))]!,
  };
}

/** Requests every path of `workload` once, `concurrency` at a time (renders and stores them). */
export async function warm(origin: string, workload: Workload, concurrency = 8): Promise<void> {
  let i = 0;
  const worker = async () => {
    while (i < workload.paths.length) {
      const res = await fetch(origin + workload.paths[i++]!);
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`GET ${res.url}: ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Runs `workload` against `origin` for `durationMs`: the sample and the requests it made. */
export async function measureWorkload(
  origin: string,
  workload: Workload,
  { connections = 32, durationMs = benchDurationMs() } = {},
): Promise<{ sample: Sample; requests: number }> {
  const result = await autocannon({
    url: origin,
    connections,
    duration: durationMs / 1000,
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: workload.next() }) }],
  });
  return {
    sample: {
      opsPerSec: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      errors: result.non2xx + result.errors + result.timeouts,
    },
    requests: result.requests.total,
  };
}
