/**
 * What each package's build gives (issue 17): no warning printed (point 11: a user who builds the
 * repository, and CI's log, should see only tsup's own lines; rollup once printed "Entry module
 * dist/isr.cjs is using named and default exports together" on every build of @momento-http/next),
 * and bundles that load without the optional `@opentelemetry/api` (observability: nothing when it
 * is absent; the app hands it over with `useOpenTelemetry`). Each package's bundles are built as
 * its tsup.config.ts says, into a throwaway directory (the package's `dist` stays as the other
 * suites use it); the type declarations are left out to keep this quick: they go through
 * rollup-plugin-dts, not the bundling pass that warned.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../readme/sample-app';

const require = createRequire(import.meta.url);
const TSUP = join(dirname(require.resolve('tsup/package.json')), 'dist/cli-default.js');

/** The lines tsup itself prints: its banner, the format's progress and the files it wrote. */
const TSUP_LINE = /^(CLI|CJS|ESM|DTS) /;

/** A static import, a require or a dynamic import of the optional peer. */
const LOADS_OPENTELEMETRY = /(from\s*|require\(\s*|import\(\s*)["']@opentelemetry\/api["']/;

const PACKAGES = readdirSync(join(REPO, 'packages')).filter((name) =>
  existsSync(join(REPO, 'packages', name, 'tsup.config.ts')),
);

describe.each(PACKAGES)('@momento-http/%s', (name) => {
  let outDir: string;
  let run: { status: number | null; lines: string[] };

  beforeAll(() => {
    outDir = mkdtempSync(join(tmpdir(), `momento-http-build-${name}-`));
    const built = spawnSync(
      process.execPath,
      [TSUP, '--out-dir', outDir, '--no-dts', '--no-sourcemap'],
      { cwd: join(REPO, 'packages', name), encoding: 'utf8' },
    );
    const lines = stripVTControlCharacters(`${built.stdout}${built.stderr}`)
      .split('\n')
      .filter((line) => line.trim());
    run = { status: built.status, lines };
  }, 60_000);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('builds without printing a warning', () => {
    expect(run.status, run.lines.join('\n')).toBe(0);
    expect(run.lines.filter((line) => !TSUP_LINE.test(line))).toEqual([]);
    expect(run.lines.some((line) => line.includes('Build success'))).toBe(true);
  });

  it('gives bundles that never load @opentelemetry/api (an optional peer)', () => {
    const bundles = readdirSync(outDir).filter((file) => /\.[cm]?js$/.test(file));
    expect(bundles).not.toEqual([]);
    const loading = bundles.filter((file) =>
      LOADS_OPENTELEMETRY.test(readFileSync(join(outDir, file), 'utf8')),
    );
    expect(loading).toEqual([]);
  });
});
