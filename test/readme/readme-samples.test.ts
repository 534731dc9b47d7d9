/**
 * Every code sample in the root README and each package README runs unchanged against the local
 * server, as a user who copies it would run it: in an app whose `node_modules` holds the BUILT
 * packages (so `npm test` runs this after `pnpm build`), TypeScript through `tsx` (Nest's through
 * `tsc`, since Nest needs decorator metadata), with a per-README prelude that defines only what a
 * sample leaves to the reader (`listProducts`, `db`, a Nest service "not shown"). A sample marked
 * `<!-- sample: skip (why) -->` in its README is listed as skipped with that reason.
 */
import { copyFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { eventually, useLocalServer } from '@momento-http/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractSamples, type Sample } from './extract-samples';
import { startSample } from './run-sample';
import { createSampleApp, REPO, type SampleApp } from './sample-app';
import { checkExpressQuickStart, checkNestQuickStart } from './server-checks';

const PRELUDES = join(REPO, 'test/readme/preludes');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const RUN_TIMEOUT_MS = 20_000;

const server = useLocalServer({
  faults: false,
  caches: ['default-cache', 'my-cache', 'pages', 'next'],
});
let app: SampleApp;

beforeAll(() => {
  app = createSampleApp();
  for (const file of readdirSync(PRELUDES)) {
    if (file.endsWith('.mjs')) copyFileSync(join(PRELUDES, file), join(app.dir, file));
  }
});
afterAll(() => app?.remove());

/** The environment a user sets for the local server; nothing of the developer's MOMENTO_* leaks in. */
function sampleEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('MOMENTO_')),
  );
  return {
    ...env,
    MOMENTO_ENDPOINT: server.url,
    MOMENTO_API_KEY: server.apiKey,
    // The root README configures a client in code from a variable of the app's own.
    MY_MOMENTO_KEY: server.apiKey,
  };
}

/** Writes one sample as its own module and runs it with the README's prelude. */
function runScript(readme: string, sample: Sample, prelude: string) {
  const extension = { ts: 'ts', js: 'mjs', mjs: 'mjs', cjs: 'cjs' }[sample.language];
  const file = app.write(`${readme}-${sample.line}.${extension}`, sample.code);
  const loader = sample.language === 'ts' ? ['--import', TSX] : [];
  return startSample([...loader, '--import', `./${prelude}`, file], {
    cwd: app.dir,
    env: sampleEnv(),
    timeoutMs: RUN_TIMEOUT_MS,
  });
}

function samplesOf(readme: string): Sample[] {
  return extractSamples(join(REPO, readme));
}

function testName(sample: Sample): string {
  const what = sample.fileName ?? sample.code.split('\n').find((line) => line.trim()) ?? '';
  return `line ${sample.line}: ${what.trim().slice(0, 60)}`;
}

/** READMEs whose samples are scripts: each runs to its end and must exit 0. */
const SCRIPT_READMES: { readme: string; name: string; prelude: string }[] = [
  { readme: 'README.md', name: 'root', prelude: 'none.mjs' },
  { readme: 'packages/core/README.md', name: 'core', prelude: 'core.mjs' },
  { readme: 'packages/server/README.md', name: 'server', prelude: 'none.mjs' },
  { readme: 'packages/keyv/README.md', name: 'keyv', prelude: 'keyv.mjs' },
  { readme: 'packages/next/README.md', name: 'next', prelude: 'none.mjs' },
];

/**
 * What a sample must print, where it prints something (found by a line of its code). Any other
 * sample must print nothing on stderr: a failure report there means its cache calls failed.
 */
const EXPECTED_OUTPUT: { readme: string; marker: string; stdout?: RegExp; stderr?: RegExp }[] = [
  // The core quick start prints the value it read back.
  { readme: 'packages/core/README.md', marker: "'greeting'", stdout: /^hello$/m },
  // The failure-report snippet reports its (placeholder) connection error, once.
  {
    readme: 'packages/core/README.md',
    marker: 'createFailureReporter(',
    stderr: /^\[@momento-http\/express\] cache read failed: the cache server could not be reached/,
  },
];

for (const { readme, name, prelude } of SCRIPT_READMES) {
  describe(readme, () => {
    for (const sample of samplesOf(readme)) {
      if (sample.skipReason) {
        it.skip(`${testName(sample)} (${sample.skipReason})`, () => {});
        continue;
      }
      it(testName(sample), async () => {
        const run = await runScript(name, sample, prelude).exited;
        expect(run.code, run.stderr).toBe(0);
        const expected = EXPECTED_OUTPUT.find(
          (output) => output.readme === readme && sample.code.includes(output.marker),
        );
        if (expected?.stderr) expect(run.stderr).toMatch(expected.stderr);
        else expect(run.stderr).toBe('');
        if (expected?.stdout) expect(run.stdout).toMatch(expected.stdout);
      });
    }
  });
}

describe('packages/express/README.md', () => {
  for (const sample of samplesOf('packages/express/README.md')) {
    if (sample.skipReason) {
      it.skip(`${testName(sample)} (${sample.skipReason})`, () => {});
      continue;
    }
    it(testName(sample), async () => {
      const running = runScript('express', sample, 'express.mjs');
      try {
        const port = await running.listening;
        await checkExpressQuickStart(`http://127.0.0.1:${port}`);
      } finally {
        const run = await running.stop();
        expect(run.stderr).toBe('');
      }
    });
  }
});

describe('packages/nestjs/README.md (CommonJS, compiled by tsc as a Nest app is)', () => {
  const samples = samplesOf('packages/nestjs/README.md').filter((sample) => !sample.skipReason);
  // Samples naming their file (`// app.module.ts`) form one app; any other is an app of its own.
  const quickStart = samples.filter((sample) => sample.fileName);
  const standalone = samples.filter((sample) => !sample.fileName);
  const projects = [
    { dir: 'nestjs/quick-start', files: quickStart },
    ...standalone.map((sample) => ({ dir: `nestjs/line-${sample.line}`, files: [sample] })),
  ];

  beforeAll(async () => {
    const prelude = join(PRELUDES, 'nestjs');
    app.write('nestjs/package.json', '{ "type": "commonjs" }\n');
    copyFileSync(join(prelude, 'tsconfig.json'), join(app.dir, 'nestjs/tsconfig.json'));
    for (const project of projects) {
      for (const file of readdirSync(prelude).filter((name) => name.endsWith('.ts'))) {
        copyFileSync(join(prelude, file), app.write(`${project.dir}/${file}`, ''));
      }
      for (const sample of project.files) {
        app.write(`${project.dir}/${sample.fileName ?? 'app.module.ts'}`, sample.code);
      }
    }
    const tsc = join(REPO, 'node_modules/typescript/bin/tsc');
    const run = await startSample([tsc, '-p', 'tsconfig.json'], {
      cwd: join(app.dir, 'nestjs'),
      env: sampleEnv(),
      timeoutMs: 60_000,
    }).exited;
    expect(run.stdout + run.stderr, 'the samples compile under strict tsc').toBe('');
    expect(run.code).toBe(0);
  }, 70_000);

  const runNest = (dir: string) =>
    startSample([join(app.dir, 'nestjs/dist', dir.replace('nestjs/', ''), 'main.js')], {
      cwd: join(app.dir, 'nestjs'),
      env: sampleEnv(),
      timeoutMs: RUN_TIMEOUT_MS,
    });

  it(`the quick start (${quickStart.map((sample) => sample.fileName).join(', ')})`, async () => {
    const running = runNest('nestjs/quick-start');
    try {
      await checkNestQuickStart(`http://127.0.0.1:${await running.listening}`, eventually);
    } finally {
      const run = await running.stop();
      expect(run.stderr).toBe('');
    }
  });

  for (const sample of standalone) {
    it(`${testName(sample)} boots`, async () => {
      const running = runNest(`nestjs/line-${sample.line}`);
      try {
        await running.listening;
      } finally {
        const run = await running.stop();
        expect(run.stderr).toBe('');
      }
    });
  }

  for (const sample of samplesOf('packages/nestjs/README.md')) {
    if (sample.skipReason) it.skip(`${testName(sample)} (${sample.skipReason})`, () => {});
  }
});
