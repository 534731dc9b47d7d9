#!/usr/bin/env node
/**
 * `npm start`: the one-command demo. Installs and builds, then starts the local Momento server on
 * 4545 with a development key and the Express (3000), NestJS (3001) and Next.js (3002) examples
 * wired to it, prints a short guide, and stops everything on Ctrl-C (or SIGTERM / SIGHUP).
 *
 * DEMO_SKIP_INSTALL=1 (or --no-install) skips the install and build steps, for when they have just
 * run (the test suite does this); everything else is what a newcomer gets.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installAndBuild, pnpm, runPnpm } from './pnpm.mjs';
import { relayLines } from './relay.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HOST = '127.0.0.1';
const SERVER = { name: 'server', label: 'the local Momento server', port: 4545 };
const APPS = [
  { name: 'express-app', label: 'the Express example', port: 3000 },
  { name: 'nest-app', label: 'the NestJS example', port: 3001 },
  { name: 'next-app', label: 'the Next.js example', port: 3002 },
];
/** How long an app may take to answer after it was started (the first start may compile). */
const READY_TIMEOUT_MS = 180_000;
/** How long the processes get to exit after SIGTERM before they are killed. */
const STOP_TIMEOUT_MS = 5_000;

/** Resolves true when something listens on `port`, on IPv4 loopback or any IPv6 address. */
function portInUse(port, host) {
  return new Promise((resolve) => {
    const probe = createServer()
      .once('error', (error) => resolve(error.code === 'EADDRINUSE'))
      .once('listening', () => probe.close(() => resolve(false)))
      .listen(port, host);
  });
}

const busy = [];
for (const target of [SERVER, ...APPS]) {
  if ((await portInUse(target.port, HOST)) || (await portInUse(target.port, '::')))
    busy.push(`${target.port} (${target.label})`);
}
if (busy.length > 0) {
  console.error(
    `✖ ${busy.length > 1 ? `Ports ${busy.join(', ')} are` : `Port ${busy[0]} is`} already in use. ` +
      'Stop whatever listens there (an earlier demo?) and run `npm start` again.',
  );
  process.exit(1);
}

/** Newest modification time of `path` and everything under it (0 when it does not exist). */
function newest(path) {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats) return 0;
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((entry) => newest(join(path, entry))));
}

/** Whether the Next app's build is newer than its sources and those of the packages it loads. */
function nextAppBuilt() {
  const app = join(ROOT, 'examples/next-app');
  const built = newest(join(app, '.next/BUILD_ID'));
  const inputs = readdirSync(app)
    .filter((entry) => !['.next', 'node_modules', 'README.md'].includes(entry))
    .map((entry) => join(app, entry));
  // Their sources, not their dist: `pnpm build` has just rewritten every dist with the same code.
  for (const pkg of ['next', 'core']) inputs.push(join(ROOT, `packages/${pkg}/src`));
  return built > Math.max(...inputs.map(newest));
}

if (!(process.env.DEMO_SKIP_INSTALL === '1' || process.argv.includes('--no-install'))) {
  installAndBuild();
  // `next build` takes a minute: only when the app or the packages it loads changed since the last.
  if (!nextAppBuilt())
    runPnpm(['--filter', 'next-app', 'build'], {
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    });
  runPnpm(['--filter', 'nest-app', 'build']);
}

const devKey = `dev-${randomBytes(16).toString('hex')}`;
const endpoint = `http://${HOST}:${SERVER.port}`;
const env = {
  ...process.env,
  MOMENTO_API_KEY: devKey,
  MOMENTO_ENDPOINT: endpoint,
  MOMENTO_CACHE_NAME: 'default-cache',
  NEXT_TELEMETRY_DISABLED: '1',
};
/** @type {{ name: string, child: import('node:child_process').ChildProcess, closed: Promise<unknown> }[]} */
const children = [];
let stopping = false;
const silenced = () => stopping;

function start(name, command, args, extraEnv = {}) {
  // Each child leads its own process group, so stopping it reaches everything it spawned (pnpm,
  // the shell, the app, Next's server process) and a terminal's Ctrl-C reaches only this script.
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
  });
  // 'close' comes after the output streams end, so nothing it printed is lost when we exit.
  const entry = { name, child, closed: new Promise((resolve) => child.once('close', resolve)) };
  children.push(entry);
  // Quiet once the demo stops: see relay.mjs.
  relayLines(child.stdout, process.stdout, `[${name}] `, silenced);
  relayLines(child.stderr, process.stderr, `[${name}] `, silenced);
  child.on('error', (error) => {
    console.error(`✖ could not start ${name}: ${error.message}`);
    stop(1);
  });
  child.on('exit', async (code, signal) => {
    if (stopping) return;
    await drained(entry, 1_000); // print what it said before it died first
    if (stopping) return;
    console.error(`✖ ${name} exited (${code ?? signal}); stopping the demo.`);
    stop(1);
  });
}

/** The children whose process group still has a live (not zombie) member. */
function liveGroups() {
  const started = children.filter(({ child }) => child.pid !== undefined);
  if (process.platform === 'win32')
    return started.filter(({ child }) => child.exitCode === null && child.signalCode === null);
  if (process.platform === 'linux') {
    const live = new Set();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        // After the ")" that ends the command name: state, ppid, pgrp, ...
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (state !== 'Z') live.add(Number(pgrp));
      } catch {} // the process ended while we looked
    }
    return started.filter(({ child }) => live.has(child.pid));
  }
  return started.filter(({ child }) => {
    try {
      process.kill(-child.pid, 0);
      return true;
    } catch (error) {
      return error.code === 'EPERM';
    }
  });
}

function signalGroup({ child }, signal) {
  try {
    if (process.platform === 'win32') spawn('taskkill', ['/pid', String(child.pid), '/t', '/f']);
    else process.kill(-child.pid, signal);
  } catch {} // already gone
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until everything `entry`'s process printed has been relayed, at most `ms`. */
const drained = (entry, ms) => Promise.race([entry.closed, sleep(ms)]);

async function stop(code) {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping the server and the apps…');
  for (const child of liveGroups()) signalGroup(child, 'SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (liveGroups().length > 0 && Date.now() < deadline) await sleep(100);
  const stuck = liveGroups();
  if (stuck.length > 0) {
    const names = stuck.map(({ name }) => name).join(', ');
    console.error(`✖ ${names} did not stop within ${STOP_TIMEOUT_MS / 1000} s; killing them.`);
    for (const child of stuck) signalGroup(child, 'SIGKILL');
    const killDeadline = Date.now() + 2_000;
    while (liveGroups().length > 0 && Date.now() < killDeadline) await sleep(100);
  }
  console.log('Stopped.');
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(0));
// A closed terminal or pipe must not turn the shutdown into a crash (EPIPE, EIO).
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
// Whatever ends this script (a bug included), leave no process group behind.
process.on('exit', () => {
  for (const child of liveGroups()) signalGroup(child, 'SIGKILL');
});

/** Polls `url` until it answers (any status) or the deadline passes. */
async function waitFor(url, name) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!stopping) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      return;
    } catch {}
    if (Date.now() > deadline) {
      console.error(`✖ ${name} did not answer at ${url} within ${READY_TIMEOUT_MS / 1000} s.`);
      return stop(1);
    }
    await sleep(250);
  }
}

start(SERVER.name, process.execPath, [
  fileURLToPath(new URL('../packages/server/dist/cli.js', import.meta.url)),
  '--port',
  String(SERVER.port),
  '--host',
  HOST,
  '--dev-key',
  devKey,
]);
await waitFor(`${endpoint}/healthz`, SERVER.label);
const [command, ...lead] = pnpm;
for (const app of APPS) {
  if (stopping) break;
  start(app.name, command, [...lead, '--reporter=silent', '--filter', app.name, 'start'], {
    PORT: String(app.port),
  });
}
await Promise.all(APPS.map((app) => waitFor(`http://${HOST}:${app.port}/`, app.label)));

if (!stopping) console.log(guide());

function guide() {
  const line = '─'.repeat(78);
  return `
${line}
 momento-http demo: the local Momento server on ${SERVER.port}, three apps caching in it

 Express (3000): a product page cached in Momento, purged by tag
   curl -si localhost:3000/products/1 | grep -iE '^x-cache|price'  # MISS, again: HIT
   curl -s localhost:3000/products/1/price -d price=13              # purges tag product:1
   curl -si localhost:3000/products/1 | grep -iE '^x-cache|price'  # MISS, new price
 NestJS (3001): the same three lines on port 3001 (@CacheTags, @CacheEvict)

 Next.js (3002): an ISR page kept in Momento, regenerated by revalidateTag
   curl -si localhost:3002/isr/a | grep -ioE '^x-nextjs-cache: \\w+|render">[^<]+'
                                       # MISS, again: HIT with the same render id
   curl -s -X POST 'localhost:3002/api/revalidate?tag=isr'      # revalidateTag('isr')
                                       # then the page again: MISS, a new render id

 Keyv and cache-manager: a script that runs and exits
   MOMENTO_ENDPOINT=${endpoint} MOMENTO_API_KEY=${devKey} \\
     node examples/keyv-script/index.mjs

 Point your own code at the same server:
   export MOMENTO_ENDPOINT=${endpoint}
   export MOMENTO_API_KEY=${devKey}

 Ctrl-C stops everything.
${line}`;
}
