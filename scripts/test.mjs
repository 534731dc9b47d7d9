#!/usr/bin/env node
/**
 * `npm test` on a fresh machine with only Node 20 and npm: installs the locked dependencies with
 * pnpm 12.4.2, builds the packages (the end-to-end suites load the built packages), then runs the
 * suites in three phases and prints one closing line "N passed, N failed, N skipped":
 *
 * 1. every package's tests and the tests of the repository's scripts (vitest projects, in parallel);
 * 2. the Next.js end-to-end suite: real `next build && next start` on Next 16.4 and 15.5;
 * 3. the demo driven like a newcomer (fixed ports, so alone and last).
 *
 * The end-to-end phases run alone because they start several servers each and build the Next apps;
 * sharing two cores with the unit suites would only make both slower and flakier.
 * `npm test -- <vitest args>` runs phase 1 only, with those arguments (e.g. a file filter).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installAndBuild, pnpm } from './pnpm.mjs';

installAndBuild();

const extraArgs = process.argv.slice(2);
const e2e = (name, project) => ({
  name,
  args: ['--config', 'vitest.e2e.config.ts', '--project', project],
});
const phases = [
  { name: 'unit and integration', args: ['--config', 'vitest.config.ts', ...extraArgs] },
  ...(extraArgs.length > 0 ? [] : [e2e('Next.js end-to-end', 'next-e2e'), e2e('demo', 'demo')]),
];

const reports = mkdtempSync(join(tmpdir(), 'momento-http-test-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
let failedPhases = 0;
const [command, ...lead] = pnpm;

for (const [index, phase] of phases.entries()) {
  console.log(`\n▶ ${phase.name}\n`);
  const report = join(reports, `phase-${index}.json`);
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
      ...phase.args,
    ],
    { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } },
  );
  if (result.status !== 0) failedPhases++;
  try {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = JSON.parse(
      readFileSync(report, 'utf8'),
    );
    totals.passed += numPassedTests;
    totals.failed += numFailedTests;
    totals.skipped += numPendingTests + numTodoTests;
  } catch {
    console.log(`\n(${phase.name}: no test results were written)`);
  }
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedPhases > 0 ? 1 : 0);
