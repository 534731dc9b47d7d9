/**
 * `pnpm conformance`: scores `responseCache()` (defaults) on the public HTTP caching suite
 * http-tests/cache-tests (the one behind cache-tests.fyi), as that suite scores reverse proxies.
 *
 * CACHE_TESTS_DIR names a checkout of the suite with its dependencies installed (`npm install`).
 * Without it the run is skipped with a reason: CI cannot download the suite, so this is not part
 * of `npm test`.
 *
 * What runs: the suite's origin server (a child process), the local Momento server, and an Express
 * app with `responseCache()` in front of a handler that forwards every request to the origin
 * (./proxy.ts); then the suite's own client (`test-engine/cli.mjs`) against that app, and its own
 * result logic (`test-engine/lib/results.mjs`) to score what came back.
 *
 * Optional: CACHE_TESTS_ID=<test id> runs one test and prints the suite's request/response dump;
 * CACHE_TESTS_RESULTS=<file> writes the raw results JSON there.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createClient } from '@momento-http/core/node';
import { startServer } from '@momento-http/server';
import express, { type NextFunction, type Request, type Response } from 'express';
import { responseCache } from '../../../src/index';
import { forwardTo } from './proxy';

const suiteDir = process.env.CACHE_TESTS_DIR;
const onlyId = process.env.CACHE_TESTS_ID ?? '';

if (!suiteDir) {
  console.log('cache-tests conformance: skipped (CACHE_TESTS_DIR is not set; see the README)');
  process.exit(0);
}
if (!existsSync(join(suiteDir, 'test-engine', 'cli.mjs'))) {
  console.log(`cache-tests conformance: skipped (no test-engine/cli.mjs under CACHE_TESTS_DIR)`);
  process.exit(0);
}
if (!existsSync(join(suiteDir, 'node_modules'))) {
  console.log('cache-tests conformance: skipped (the suite has no node_modules: run npm install)');
  process.exit(0);
}

type Results = Record<string, true | [string, string]>;
interface SuiteTest {
  id: string;
  kind?: 'required' | 'optimal' | 'check';
  browser_only?: boolean;
}
interface ResultsModule {
  determineTestResult(suites: unknown, id: string, results: Results): readonly string[];
  resultTypes: Record<string, readonly string[]>;
}

/** Starts the suite's origin on a free port and resolves with that port. */
function startOrigin(dir: string, pidDir: string): Promise<{ port: number; stop: () => void }> {
  const child = spawn(process.execPath, ['test-engine/server/server.mjs'], {
    cwd: dir,
    env: {
      ...process.env,
      npm_config_protocol: 'http',
      npm_config_port: '0',
      npm_config_pidfile: join(pidDir, 'origin.pid'),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /Listening on \S+:(\d+)\//.exec(seen);
      if (!match) return;
      child.stdout.off('data', onData);
      // Keep draining: the origin logs a warning per unexpected request.
      child.stdout.resume();
      resolve({ port: Number(match[1]), stop: () => child.kill() });
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the suite's origin exited (${code})`)));
  });
}

/** Runs the suite's client against `base`; resolves with its JSON results (or its dump for one id). */
function runClient(dir: string, base: string): Promise<string> {
  const child = spawn(process.execPath, ['--no-warnings', 'test-engine/cli.mjs'], {
    cwd: dir,
    // The client reads its options the way `npm run` passes them: base URL and (empty) test id.
    env: {
      ...process.env,
      npm_config_base: base,
      npm_config_id: onlyId,
      npm_package_config_id: '',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`the suite's client exited (${code})`)),
    );
  });
}

function listen(app: express.Express): Promise<Server> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}

const pidDir = mkdtempSync(join(tmpdir(), 'cache-tests-'));
const origin = await startOrigin(suiteDir, pidDir);
const cacheServer = await startServer({ port: 0 });
const client = createClient({ baseUrl: cacheServer.url, apiKey: cacheServer.createApiKey() });
const app = express();
/** Cache failures by operation: a loaded machine turns slow reads into misses (and scores lower). */
const cacheFailures = new Map<string, number>();
app.use(
  responseCache({
    client,
    cacheName: 'default-cache',
    // Defaults for every HTTP rule; only the two timing knobs are relaxed. The suite scores
    // semantics, and with 25 tests at a time on a small shared machine a 250 ms read deadline
    // (and the breaker it trips) turns hits into misses at random.
    readTimeoutMs: 5000,
    circuitBreaker: false,
    onError: (_error, operation) =>
      cacheFailures.set(operation, (cacheFailures.get(operation) ?? 0) + 1),
  }),
);
app.use(forwardTo(`http://127.0.0.1:${origin.port}`));
// The proxy's 502s, without Express's default stack-trace logging.
app.use((error: { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
  res.status(error.status ?? 500).end();
});
const server = await listen(app);
const { port } = server.address() as { port: number };

try {
  const output = await runClient(suiteDir, `http://127.0.0.1:${port}`);
  if (onlyId) {
    console.log(output);
  } else {
    const results = JSON.parse(output) as Results;
    if (process.env.CACHE_TESTS_RESULTS) {
      writeFileSync(process.env.CACHE_TESTS_RESULTS, `${JSON.stringify(results, null, 2)}\n`);
    }
    await report(suiteDir, results);
  }
  const failures = [...cacheFailures].map(([operation, n]) => `${operation} ${n}`).join(', ');
  console.log(`\ncache failures during the run: ${failures || 'none'}`);
} finally {
  server.closeAllConnections();
  server.close();
  await cacheServer.close();
  origin.stop();
}

/** Scores `results` with the suite's own logic (dependencies honoured, as cache-tests.fyi does). */
async function report(dir: string, results: Results): Promise<void> {
  const load = (path: string) => import(pathToFileURL(join(dir, path)).href);
  const suites = (await load('tests/index.mjs')).default as { tests: SuiteTest[] }[];
  const { determineTestResult, resultTypes } = (await load(
    'test-engine/lib/results.mjs',
  )) as ResultsModule;
  const counts = { required: [0, 0], optimal: [0, 0] };
  const failing: Record<'required' | 'optimal', string[]> = { required: [], optimal: [] };
  for (const suite of suites) {
    for (const test of suite.tests) {
      const kind = test.kind ?? 'required';
      if (kind === 'check') continue;
      const result = determineTestResult(suites, test.id, results);
      const tally = counts[kind];
      tally[1] = (tally[1] ?? 0) + 1;
      if (result === resultTypes.pass) tally[0] = (tally[0] ?? 0) + 1;
      // Browser-only tests are counted (as on cache-tests.fyi) but never run against a server.
      else if (!test.browser_only) failing[kind].push(`${test.id} ${result[2]}`);
    }
  }
  console.log(`required: ${counts.required[0]}/${counts.required[1]} passed`);
  console.log(`optimal:  ${counts.optimal[0]}/${counts.optimal[1]} passed`);
  for (const kind of ['required', 'optimal'] as const) {
    console.log(`\nfailing ${kind} (${failing[kind].length}):`);
    for (const line of failing[kind]) {
      const id = line.split(' ')[0] as string;
      const detail = results[id];
      console.log(`  ${line}${Array.isArray(detail) ? ` ${detail[1]}` : ''}`);
    }
  }
}
