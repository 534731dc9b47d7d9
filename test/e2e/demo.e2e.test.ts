/**
 * `npm start` driven like a newcomer: start the demo, paste the guide's commands into a shell
 * (real curl against the real apps and the real local server), press Ctrl-C, and look for
 * anything left behind. `npm test` has installed and built everything first, so the demo runs
 * with DEMO_SKIP_INSTALL=1; the rest is exactly what a user gets.
 *
 * The demo binds fixed ports (4545, 3000-3002): this suite runs alone, after every other one.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { DEMO_PORTS, Demo, guideCommands, ROOT, shell, within } from './support/demo';
import { portFree, survivors } from './support/processes';

const GUIDE_TIMEOUT_MS = 240_000;
const STOP_TIMEOUT_MS = 15_000;
const STOPPING = 'Stopping the server and the apps…';

function hasCommand(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const missing = [
  ...(process.platform === 'linux' ? [] : ['Linux (/proc, to look for stray processes)']),
  ...['curl', 'grep'].filter((name) => !hasCommand(name)),
];
if (missing.length > 0) console.warn(`demo e2e skipped: needs ${missing.join(', ')}`);

async function assertPortsFree(): Promise<void> {
  const busy = [];
  for (const port of DEMO_PORTS) if (!(await portFree(port))) busy.push(port);
  if (busy.length > 0)
    throw new Error(
      `ports ${busy.join(', ')} are in use: stop what listens there to run this suite`,
    );
}

/** Sends `signal` to the demo alone and checks that it leaves no process and no port behind. */
async function stopCleanly(demo: Demo, signal: NodeJS.Signals): Promise<void> {
  demo.snapshot();
  const groups = demo.groups();
  expect(groups.size).toBeGreaterThanOrEqual(5); // the demo, the server and the three apps
  demo.child.kill(signal);
  const exit = await within(demo.exit, STOP_TIMEOUT_MS, `the demo to exit on ${signal}`);
  expect(exit).toEqual({ code: 0, signal: null });
  expect(survivors([...demo.seen.values()], groups).map((p) => `${p.pid} ${p.command}`)).toEqual(
    [],
  );
  for (const port of DEMO_PORTS) expect(await portFree(port), `port ${port} free`).toBe(true);
  // What the user reads: the shutdown was announced, nothing went wrong (the demo's own failures
  // start with ✖), and the last word is "Stopped.". The apps are quiet once stopping starts, but
  // stdout and stderr are two pipes: their order here is not the order they were written in.
  const shutdown = demo.output.slice(demo.output.lastIndexOf(STOPPING)).trim().split('\n');
  expect(shutdown[0]).toBe(STOPPING);
  expect(shutdown.filter((line) => line.startsWith('✖'))).toEqual([]);
  expect(demo.stdout.trim().split('\n').at(-1)).toBe('Stopped.');
}

/** A failed test shows what the demo printed: the apps' own errors are there. */
function printOnFailure(context: TestContext, demo: Demo | undefined): void {
  if (demo && context.task.result?.state === 'fail')
    console.error(`--- the demo's last output ---\n${demo.tail()}`);
}

describe.skipIf(missing.length > 0)('npm start, driven like a newcomer', () => {
  let demo: Demo;
  let commands: string[];

  beforeAll(async () => {
    await assertPortsFree();
    demo = new Demo();
    commands = guideCommands(await demo.guide(GUIDE_TIMEOUT_MS));
    demo.snapshot();
  }, GUIDE_TIMEOUT_MS + 10_000);

  afterAll(() => demo?.killAll());
  afterEach((context) => printOnFailure(context, demo));

  /** The guide's command that contains `fragment` (the test fails if the guide lost it). */
  const command = (fragment: string): string => {
    const found = commands.find((c) => c.includes(fragment));
    if (!found)
      throw new Error(`no command with "${fragment}" in the guide:\n${commands.join('\n')}`);
    return found;
  };

  it('prints a guide whose commands name real routes', () => {
    expect(commands).toEqual([
      expect.stringContaining('localhost:3000/products/1 |'),
      expect.stringContaining('localhost:3000/products/1/price -d price=13'),
      expect.stringContaining('localhost:3000/products/1 |'),
      expect.stringContaining('localhost:3002/isr/a'),
      expect.stringContaining('localhost:3002/api/revalidate?tag=isr'),
      expect.stringContaining('node examples/keyv-script/index.mjs'),
      expect.stringMatching(/^export MOMENTO_ENDPOINT=http:\/\/127\.0\.0\.1:4545$/),
      expect.stringMatching(/^export MOMENTO_API_KEY=dev-[0-9a-f]{32}$/),
    ]);
  });

  // The guide gives the Express lines and says "the same three lines on port 3001" for NestJS.
  for (const [name, port] of [
    ['Express', 3000],
    ['NestJS', 3001],
  ] as const) {
    it(`${name}: MISS, then HIT with the same body; the price update purges the tag`, async () => {
      const onPort = (c: string) => c.replace('localhost:3000', `localhost:${port}`);
      const get = onPort(command('/products/1 |'));
      const first = await shell(get);
      const second = await shell(get);
      expect(first).toMatch(/^X-Cache: MISS\r?$/im);
      expect(second).toMatch(/^X-Cache: HIT\r?$/im);
      const body = (out: string) => out.split('\n').find((line) => line.startsWith('{'));
      expect(body(second)).toBe(body(first));
      expect(JSON.parse(body(first) ?? '').price).not.toBe(13);

      // The list shows product 1 too: cached now, it must be purged by the same tag.
      const list = `http://127.0.0.1:${port}/products`;
      await fetch(list);
      expect((await fetch(list)).headers.get('x-cache')).toBe('HIT');

      expect(await shell(onPort(command('/price -d price=13')))).toMatch(/"price":13/);
      const after = await shell(get);
      expect(after).toMatch(/^X-Cache: MISS\r?$/im);
      expect(JSON.parse(body(after) ?? '')).toMatchObject({ price: 13 });
      const listAfter = await fetch(list);
      expect(listAfter.headers.get('x-cache')).toBe('MISS');
      expect(JSON.stringify(await listAfter.json())).toMatch(/"price":13/);
      expect(await shell(get)).toMatch(/^X-Cache: HIT\r?$/im);
    });
  }

  it('Next.js: the ISR page is served from Momento until revalidateTag renders a new one', async () => {
    const page = command('localhost:3002/isr/a');
    const read = async () => {
      const out = await shell(page);
      return {
        cache: /x-nextjs-cache: (\w+)/i.exec(out)?.[1],
        render: /render">([^\s<]+)/.exec(out)?.[1],
      };
    };
    const first = await read();
    expect(first.render).toMatch(/\S/);
    expect(await read()).toEqual({ cache: 'HIT', render: first.render });

    expect(JSON.parse(await shell(command('revalidate?tag=isr')))).toMatchObject({
      revalidated: true,
      tag: 'isr',
    });
    const fresh = await read();
    expect(fresh.render).not.toBe(first.render);
    expect(await read()).toEqual({ cache: 'HIT', render: fresh.render });
  });

  it('keyv-script: the guide command runs, caches, and exits 0', async () => {
    // shell() rejects on a non-zero exit, with the script's stderr in the error.
    const out = await shell(command('examples/keyv-script/index.mjs'));
    expect(out).toContain(`keyv.get("user:1") → { name: 'Ada', roles: [ 'admin' ] }`);
    expect(out).toContain('cache.get("visits") → 1');
    expect(out).toContain('the slow lookup ran 1 time(s)');
    expect(out).toContain('after keyv.clear(): keyv.get("user:1") → undefined');
  });

  it('Ctrl-C (SIGINT) stops the server, the apps and their children, and frees the ports', async () => {
    await stopCleanly(demo, 'SIGINT');
  });
});

describe.skipIf(missing.length > 0)('npm start, stopped by SIGTERM', () => {
  let demo: Demo | undefined;
  afterAll(() => demo?.killAll());
  afterEach((context) => printOnFailure(context, demo));

  it(
    'stops everything',
    async () => {
      await assertPortsFree();
      demo = new Demo();
      await demo.guide(GUIDE_TIMEOUT_MS);
      // Next starts more processes on its first request: stop a demo that has served one.
      await fetch('http://127.0.0.1:3002/isr/a');
      await stopCleanly(demo, 'SIGTERM');
    },
    GUIDE_TIMEOUT_MS + STOP_TIMEOUT_MS + 10_000,
  );
});

describe.skipIf(missing.length > 0)('npm start with a port in use', () => {
  it('says which port in one line and exits 1, before installing anything', async () => {
    await assertPortsFree();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(3001, '127.0.0.1', resolve));
    try {
      // Without DEMO_SKIP_INSTALL: the check must come before the install and build.
      const result = await new Promise<{ code: unknown; stdout: string; stderr: string }>(
        (resolve) =>
          execFile(
            process.execPath,
            ['scripts/demo.mjs'],
            { cwd: ROOT, timeout: 30_000 },
            (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }),
          ),
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^✖ Port 3001 \(the NestJS example\) is already in use\./),
      ]);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
