/**
 * NestJS: requests/s of one cached GET route (a ~1 KB JSON body, always a hit after warm-up),
 * through the stock CacheInterceptor on cache-manager's in-memory store (baseline), on
 * @keyv/redis with a local redis-server, and on @momento-http/nestjs against the local Momento
 * server (without and with the near cache), plus HttpCacheInterceptor (whole responses).
 *
 * Every app, the local server and redis-server run in their own processes; autocannon runs here.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Contender, compare, measureHttp } from './harness';
import { startRedis } from './processes';

const nestDir = fileURLToPath(new URL('../../packages/nestjs/', import.meta.url));
const children: ChildProcess[] = [];

/** Spawns `node --import tsx <script>` in packages/nestjs and resolves its first JSON line. */
function spawnJson<T>(script: string, env: Record<string, string>): Promise<T> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: nestDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n')[0];
      if (buffered.includes('\n') && line) resolve(JSON.parse(line) as T);
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

export default async function run(): Promise<void> {
  try {
    const server = await spawnJson<{ url: string; apiKey: string }>('bench/server.ts', {});
    const momentoEnv = { MOMENTO_ENDPOINT: server.url, MOMENTO_API_KEY: server.apiKey };
    const redis = await startRedis();
    if (redis) children.push(redis.child);
    const redisUrl = redis?.url;
    const modes: [string, string, Record<string, string>][] = [
      ['CacheInterceptor, in-memory store', 'memory', {}],
      ...(redisUrl
        ? [
            [
              'CacheInterceptor, @keyv/redis (local redis-server)',
              'redis',
              { REDIS_URL: redisUrl },
            ] as [string, string, Record<string, string>],
          ]
        : []),
      ['CacheInterceptor, @momento-http/nestjs (local server)', 'momento', momentoEnv],
      ['CacheInterceptor, @momento-http/nestjs + near cache', 'momento-near', momentoEnv],
      ['HttpCacheInterceptor, @momento-http/nestjs (local server)', 'momento-http', momentoEnv],
      ['HttpCacheInterceptor, @momento-http/nestjs + near cache', 'momento-http-near', momentoEnv],
    ];
    const contenders: Contender[] = [];
    for (const [name, mode, env] of modes) {
      const { port } = await spawnJson<{ port: number }>('bench/app.ts', {
        ...env,
        BENCH_MODE: mode,
      });
      const url = `http://127.0.0.1:${port}/cached`;
      contenders.push({ name, measure: () => measureHttp({ url, connections: 32 }) });
    }
    await compare({
      title: 'NestJS cached GET route',
      contenders,
      notes: [
        'One cached GET route returning ~1 KB of JSON, a hit after warm-up; 32 connections, autocannon.',
        'Each app, the local Momento server and redis-server run in their own processes on one machine.',
        redisUrl ? '' : 'redis-server could not start: the @keyv/redis contender was skipped.',
      ]
        .filter(Boolean)
        .join(' '),
    });
  } finally {
    for (const child of children) child.kill('SIGTERM');
  }
}
