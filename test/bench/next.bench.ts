/**
 * `pnpm bench next`: requests/s and p99 of a cached ISR page (`/isr/a` of examples/next-app,
 * Next 16.4) under autocannon, three `next start` processes of one build:
 *   - Next's default cache (in-memory LRU + file system; NEXT_CACHE_HANDLER=next),
 *   - @momento-http/next over the local server (every hit reads the entry and its tags over HTTP),
 *   - the same with the near cache (entries and tag states held in-process for 1 s).
 * The local server runs in its own process; ratios are against Next's default cache.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Contender, compare, measureHttp } from './harness';

const root = fileURLToPath(new URL('../../', import.meta.url));
const app = `${root}examples/next-app`;
const nextBin = `${app}/node_modules/next/dist/bin/next`;
const PAGE = '/isr/a';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

function startChild(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: (line: string) => boolean,
) {
  const child = spawn(command, args, {
    cwd: app,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const candidate of buffer.split('\n')) if (ready(candidate)) resolve(candidate);
    });
    child.on('exit', (code) => reject(new Error(`${command} exited with ${code}`)));
  });
  return { child, line };
}

async function startMomentoServer(): Promise<{ url: string; apiKey: string; child: ChildProcess }> {
  const code = `import { startServer } from ${JSON.stringify(`${root}packages/server/src/index.ts`)};
    const s = await startServer({ port: 0 });
    console.log(JSON.stringify({ url: s.url, apiKey: s.createApiKey() }));`;
  const { child, line } = startChild(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', code],
    {},
    (l) => l.startsWith('{'),
  );
  return { ...(JSON.parse(await line) as { url: string; apiKey: string }), child };
}

async function startNext(env: NodeJS.ProcessEnv): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const { child, line } = startChild(
    process.execPath,
    [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'],
    { NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production', ...env },
    (l) => /Ready|started server/i.test(l),
  );
  await line;
  const url = `http://127.0.0.1:${port}${PAGE}`;
  // Warm until the page is served from the cache.
  for (let i = 0; i < 100; i++) {
    const res = await fetch(url);
    await res.arrayBuffer();
    if (res.headers.get('x-nextjs-cache') === 'HIT') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, child };
}

export default async function run(): Promise<void> {
  const build = (cmd: string, args: string[], cwd: string) => {
    const r = spawnSync(cmd, args, {
      cwd,
      stdio: 'inherit',
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed`);
  };
  // Next loads the handler from dist: build the two packages when they have not been built.
  for (const pkg of ['core', 'next']) {
    if (!existsSync(`${root}packages/${pkg}/dist/index.js`)) {
      build('pnpm', ['--filter', `@momento-http/${pkg}`, 'build'], root);
    }
  }
  if (!existsSync(`${app}/.next/BUILD_ID`)) build(process.execPath, [nextBin, 'build'], app);

  const momento = await startMomentoServer();
  const viaMomento = { MOMENTO_ENDPOINT: momento.url, MOMENTO_API_KEY: momento.apiKey };
  const servers = [
    { name: "Next's default cache", env: { NEXT_CACHE_HANDLER: 'next' } },
    { name: '@momento-http/next', env: viaMomento },
    { name: '@momento-http/next + near cache', env: { ...viaMomento, MOMENTO_NEAR_CACHE: '1' } },
  ];
  const started: ChildProcess[] = [momento.child];
  try {
    const contenders: Contender[] = [];
    for (const s of servers) {
      const next = await startNext(s.env);
      started.push(next.child);
      contenders.push({
        name: s.name,
        measure: () => measureHttp({ url: next.url, connections: 32 }),
      });
    }
    await compare({
      title: 'next ISR page hit',
      contenders,
      rounds: Number(process.env.BENCH_ROUNDS ?? 3),
      notes: `GET ${PAGE} (about 6 KB of HTML), 32 connections, each contender a \`next start\` process of one build; Node ${process.version}.`,
    });
  } finally {
    for (const child of started) child.kill('SIGTERM');
  }
}
