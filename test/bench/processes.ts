/**
 * The processes every benchmark runs beside its load: the local server, redis-server and the apps,
 * each in a child process as in production, plus the CPU each used (Linux /proc), which a shared
 * machine's load moves far less than requests per second.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** A loopback port nobody listens on right now. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

export interface ChildOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** The stdout line that says the child is ready. */
  ready: (line: string) => boolean;
}

/** Starts a child process; `line` resolves with its first stdout line that `ready` accepts. */
export function startChild(command: string, args: string[], options: ChildOptions) {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const candidate of buffer.split('\n')) if (options.ready(candidate)) resolve(candidate);
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`${command} exited with ${code}`)));
  });
  return { child, line };
}

export interface MomentoServerProcess {
  url: string;
  apiKey: string;
  child: ChildProcess;
}

/** The local server (from source, through tsx) in its own process, with a read-write key. */
export async function startMomentoServer(): Promise<MomentoServerProcess> {
  const code = `import { startServer } from ${JSON.stringify(`${repoRoot}packages/server/src/index.ts`)};
    const s = await startServer({ port: 0 });
    console.log(JSON.stringify({ url: s.url, apiKey: s.createApiKey() }));`;
  const { child, line } = startChild(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', code],
    { ready: (l) => l.startsWith('{') },
  );
  return { ...(JSON.parse(await line) as { url: string; apiKey: string }), child };
}

/** A throwaway redis-server on loopback (no persistence), or `undefined` when it cannot start. */
export async function startRedis(): Promise<{ url: string; child: ChildProcess } | undefined> {
  const port = await freePort();
  try {
    const { child, line } = startChild(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { ready: (l) => l.includes('Ready to accept connections') },
    );
    await line;
    return { url: `redis://127.0.0.1:${port}`, child };
  } catch (error) {
    console.log(`redis-server could not start, its contenders are skipped (${String(error)})`);
    return undefined;
  }
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100;

/** CPU time (user + system) a process has used so far, in ms; `undefined` off Linux. */
export function cpuMs(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** Whether a package's built `entry` exists and is newer than every file of its `src`. */
export function isBuilt(packageDir: string, entry = 'dist/index.js'): boolean {
  const built = `${packageDir}/${entry}`;
  if (!existsSync(built)) return false;
  const newest = (path: string): number =>
    statSync(path).isDirectory()
      ? Math.max(0, ...readdirSync(path).map((name) => newest(`${path}/${name}`)))
      : statSync(path).mtimeMs;
  return newest(`${packageDir}/src`) < statSync(built).mtimeMs;
}
