/** A throwaway redis-server for tests that run the local server in Redis mode. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';

let found: { path: string | undefined } | undefined;

/** Path of redis-server (or valkey-server), or undefined when neither is installed. */
export function findRedisServer(): string | undefined {
  found ??= { path: lookUp() };
  return found.path;
}

function lookUp(): string | undefined {
  try {
    return (
      execFileSync('sh', ['-c', 'command -v redis-server || command -v valkey-server'], {
        encoding: 'utf8',
      }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

/**
 * True when Redis-mode tests must be skipped, after printing why (a skip nobody can see reads as
 * a pass). Use as `describe.skipIf(skipWithoutRedis('core conformance'))(...)`.
 */
export function skipWithoutRedis(suite: string): boolean {
  if (findRedisServer()) return false;
  console.warn(`[${suite}] Redis mode skipped: redis-server (or valkey-server) is not installed`);
  return true;
}

export interface RunningRedis {
  /** `redis://127.0.0.1:<port>`, for the server's `redisUrl`. */
  readonly url: string;
  stop(): Promise<void>;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const ping = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      socket.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    socket.on('error', () => resolve(false));
  });

/** Starts a redis-server with no persistence on a free loopback port. */
export async function startRedis(binary = findRedisServer()): Promise<RunningRedis> {
  if (!binary) throw new Error('redis-server (or valkey-server) is not installed');
  const port = await freePort();
  const child: ChildProcess = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 10_000;
  while (!(await ping(port))) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error('redis-server did not start');
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
