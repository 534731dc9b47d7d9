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

/** Path of redis-cli (or valkey-cli), or undefined. */
function findRedisCli(): string | undefined {
  try {
    return (
      execFileSync('sh', ['-c', 'command -v redis-cli || command -v valkey-cli'], {
        encoding: 'utf8',
      }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

/** A free port whose cluster-bus twin (port + 10000) is free too. */
async function freeClusterPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port + 10_000 > 65_535) continue;
    const bus = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port + 10_000, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (bus) return port;
  }
}

/** One command over a fresh connection (inline protocol), answer as text. */
function command(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${line}\r\n`));
    socket.on('data', (d) => {
      answer += d;
      // A bulk string ($len) is complete once its length arrived; simple answers end at CRLF.
      const bulk = /^\$(\d+)\r\n/.exec(answer);
      if (bulk ? answer.length >= bulk[0].length + Number(bulk[1]) + 2 : answer.endsWith('\r\n')) {
        socket.destroy();
        resolve(answer);
      }
    });
    socket.on('error', reject);
  });
}

/**
 * Starts a three-master Redis/Valkey Cluster (no replicas, no persistence) on free ports: three
 * `redis-server --cluster-enabled yes`, joined by `redis-cli --cluster create`, or by CLUSTER
 * MEET and ADDSLOTSRANGE when there is no redis-cli. Resolves once every node says
 * `cluster_state:ok`.
 */
export async function startRedisCluster(
  binary: string,
  dir: string,
): Promise<{ nodes: string[]; ports: number[]; stop: () => Promise<void> }> {
  const ports: number[] = [];
  for (let i = 0; i < 3; i++) ports.push(await freeClusterPort());
  const children = ports.map((port) =>
    spawn(
      binary,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { stdio: 'ignore' },
    ),
  );
  const stop = () =>
    Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    ).then(() => undefined);
  try {
    const deadline = Date.now() + 15_000;
    for (const port of ports) {
      while (!(await ping(port))) {
        if (Date.now() > deadline) throw new Error('redis-server (cluster mode) did not start');
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    const nodes = ports.map((port) => `127.0.0.1:${port}`);
    const cli = findRedisCli();
    if (cli) {
      execFileSync(
        cli,
        ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes'],
        {
          stdio: 'ignore',
        },
      );
    } else {
      const per = Math.ceil(16_384 / ports.length);
      for (const [i, port] of ports.entries()) {
        const last = Math.min(16_383, (i + 1) * per - 1);
        await command(port, `CLUSTER ADDSLOTSRANGE ${i * per} ${last}`);
        if (i > 0) await command(port, `CLUSTER MEET 127.0.0.1 ${ports[0]}`);
      }
    }
    for (const port of ports) {
      while (!(await command(port, 'CLUSTER INFO')).includes('cluster_state:ok')) {
        if (Date.now() > deadline) throw new Error('the Redis Cluster did not become ready');
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    return { nodes, ports, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** How many keys a node holds (`DBSIZE`). */
export async function keyCount(port: number): Promise<number> {
  return Number(/^:(\d+)/.exec(await command(port, 'DBSIZE'))?.[1]);
}
