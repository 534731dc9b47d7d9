/**
 * No build prints a warning (issue 17, point 11): a user who builds the repository, and CI's log,
 * should see only tsup's own lines. Rollup once printed "Entry module dist/isr.cjs is using named
 * and default exports together" on every build of @momento-http/next. Each package's bundles are
 * built as its tsup.config.ts says, into a throwaway directory (the package's `dist` stays as the
 * other suites use it); the type declarations are left out to keep this quick, they go through
 * rollup-plugin-dts, not the bundling pass that warned.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO } from '../readme/sample-app';

const require = createRequire(import.meta.url);
const TSUP = join(dirname(require.resolve('tsup/package.json')), 'dist/cli-default.js');

/** The lines tsup itself prints: its banner, the format's progress and the files it wrote. */
const TSUP_LINE = /^(CLI|CJS|ESM|DTS) /;

const PACKAGES = readdirSync(join(REPO, 'packages')).filter((name) =>
  existsSync(join(REPO, 'packages', name, 'tsup.config.ts')),
);

describe.each(PACKAGES)('@momento-http/%s', (name) => {
  it('builds without printing a warning', () => {
    const outDir = mkdtempSync(join(tmpdir(), `momento-http-build-${name}-`));
    try {
      const run = spawnSync(
        process.execPath,
        [TSUP, '--out-dir', outDir, '--no-dts', '--no-sourcemap'],
        { cwd: join(REPO, 'packages', name), encoding: 'utf8', env: { ...process.env, CI: '1' } },
      );
      const lines = stripVTControlCharacters(`${run.stdout}${run.stderr}`)
        .split('\n')
        .filter((line) => line.trim());
      expect(run.status, lines.join('\n')).toBe(0);
      expect(lines.filter((line) => !TSUP_LINE.test(line))).toEqual([]);
      expect(lines.some((line) => line.includes('Build success'))).toBe(true);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 60_000);
});
