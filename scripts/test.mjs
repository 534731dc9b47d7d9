#!/usr/bin/env node
/**
 * `npm test` on a fresh machine with only Node 20 and npm: installs the locked dependencies with
 * pnpm 12.4.2, builds the packages (the Next.js end-to-end tests load the built handlers), then runs
 * every test suite once and prints one closing line "N passed, N failed, N skipped".
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installAndBuild, pnpm } from './pnpm.mjs';

installAndBuild();

const report = join(mkdtempSync(join(tmpdir(), 'momento-http-test-')), 'results.json');
const [command, ...lead] = pnpm;
const result = spawnSync(
  command,
  [
    ...lead,
    'exec',
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } },
);

try {
  const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = JSON.parse(
    readFileSync(report, 'utf8'),
  );
  console.log(
    `\n${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped`,
  );
} catch {
  console.log('\n(no test results were written)');
}
process.exit(result.status ?? 1);
