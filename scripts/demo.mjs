#!/usr/bin/env node
/**
 * `npm start`: the one-command demo. Installs and builds, then starts the local Momento server on
 * 4545 with a development key and the Express (3000), NestJS (3001) and Next.js (3002) examples
 * wired to it, prints a short guide, and stops everything on Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { installAndBuild, pnpm, runPnpm } from './pnpm.mjs';

const HOST = '127.0.0.1';
const SERVER_PORT = 4545;
const APPS = [
  { name: 'express-app', port: 3000, path: '/' },
  { name: 'nest-app', port: 3001, path: '/' },
  { name: 'next-app', port: 3002, path: '/' },
];

function portFree(port) {
  return new Promise((resolve) => {
    const probe = createServer()
      .once('error', () => resolve(false))
      .once('listening', () => probe.close(() => resolve(true)))
      .listen(port, HOST);
  });
}

const busy = [];
for (const port of [SERVER_PORT, ...APPS.map((a) => a.port)]) {
  if (!(await portFree(port))) busy.push(port);
}
if (busy.length) {
  console.error(
    `✖ Port${busy.length > 1 ? 's' : ''} ${busy.join(', ')} already in use on ${HOST}. ` +
      'Stop whatever is listening there (perhaps an earlier demo) and run `npm start` again.',
  );
  process.exit(1);
}

if (!process.argv.includes('--no-install')) {
  installAndBuild();
  runPnpm(['--filter', 'next-app', 'build'], {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
}

const devKey = `dev-${randomBytes(16).toString('hex')}`;
const endpoint = `http://${HOST}:${SERVER_PORT}`;
const env = {
  ...process.env,
  MOMENTO_API_KEY: devKey,
  MOMENTO_ENDPOINT: endpoint,
  MOMENTO_CACHE_NAME: 'default-cache',
  NEXT_TELEMETRY_DISABLED: '1',
};
const children = [];

function start(name, command, args, extraEnv = {}) {
  // Each child leads its own process group so that Ctrl-C can stop it with everything it spawned.
  const child = spawn(command, args, {
    env: { ...env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const prefix = `[${name}] `;
  const relay = (stream, out) =>
    stream.on('data', (chunk) => {
      for (const line of chunk.toString().split('\n'))
        if (line.trim()) out.write(`${prefix}${line}\n`);
    });
  relay(child.stdout, process.stdout);
  relay(child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`✖ ${name} exited (${code ?? signal}); stopping the demo.`);
      stop(1);
    }
  });
  children.push(child);
  return child;
}

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
  }
  const deadline = setTimeout(() => {
    for (const child of children) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }
    process.exit(code);
  }, 5000);
  Promise.all(
    children.map((c) =>
      c.exitCode !== null || c.signalCode ? null : new Promise((r) => c.once('exit', r)),
    ),
  ).then(() => {
    clearTimeout(deadline);
    process.exit(code);
  });
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

async function waitFor(url, name, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  if (!stopping) {
    console.error(`✖ ${name} did not answer at ${url} within ${timeoutMs / 1000}s.`);
    stop(1);
  }
}

start('server', process.execPath, [
  'packages/server/dist/cli.js',
  '--port',
  String(SERVER_PORT),
  '--host',
  HOST,
  '--dev-key',
  devKey,
]);
await waitFor(`${endpoint}/healthz`, 'the local server');
const [command, ...lead] = pnpm;
for (const app of APPS)
  start(app.name, command, [...lead, '--filter', app.name, 'start'], { PORT: String(app.port) });
await Promise.all(APPS.map((app) => waitFor(`http://${HOST}:${app.port}${app.path}`, app.name)));

if (!stopping) {
  console.log(`
────────────────────────────────────────────────────────────────────────
 momento-http demo is running — local Momento server at ${endpoint}

   export MOMENTO_ENDPOINT=${endpoint}
   export MOMENTO_API_KEY=${devKey}

 Express  (3000)  curl -si localhost:3000/products/1 | grep -i x-cache   # MISS, then HIT
                  curl -si -X POST localhost:3000/products/1             # invalidates tag product:1
 NestJS   (3001)  curl -si localhost:3001/products/1 | grep -i x-cache   # MISS, then HIT
                  curl -si -X POST localhost:3001/products/1             # @CacheEvict by tag
 Next.js  (3002)  curl -si localhost:3002/isr | grep -i x-nextjs-cache   # ISR page from Momento
                  curl -s -X POST 'localhost:3002/api/revalidate?tag=time'  # revalidateTag
 Keyv             pnpm --filter keyv-script start

 Ctrl-C stops everything.
────────────────────────────────────────────────────────────────────────`);
}
