/**
 * The public types as a user's compiler sees them (issue 17, point 6): one small file of ordinary
 * usage, compiled by tsc against the BUILT packages under `moduleResolution: node10` (a CommonJS
 * project that ignores package.json `exports`) and under `exactOptionalPropertyTypes`.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSampleApp, REPO, type SampleApp } from '../readme/sample-app';

const FIXTURES = join(REPO, 'test/types/fixtures');
const TSC = join(REPO, 'node_modules/typescript/bin/tsc');

let app: SampleApp;
beforeAll(() => {
  app = createSampleApp();
  for (const file of readdirSync(FIXTURES)) {
    copyFileSync(join(FIXTURES, file), join(app.dir, file));
  }
});
afterAll(() => app?.remove());

function compile(tsconfig: string) {
  const run = spawnSync(process.execPath, [TSC, '-p', tsconfig], {
    cwd: app.dir,
    encoding: 'utf8',
  });
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('the public types compile in a user project', () => {
  it('under moduleResolution node10 (every subpath through typesVersions)', () => {
    const { code, output } = compile('tsconfig.node10.json');
    expect(output).toBe('');
    expect(code).toBe(0);
  }, 60_000);

  it('under exactOptionalPropertyTypes (typed onError, Keyv accepting the store)', () => {
    const { code, output } = compile('tsconfig.exact-optional.json');
    expect(output).toBe('');
    expect(code).toBe(0);
  }, 60_000);
});
