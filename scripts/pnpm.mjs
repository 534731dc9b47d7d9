/**
 * Finds pnpm 12.4.2 for the bootstrap scripts: the one on PATH when it is that version, otherwise
 * through `npx pnpm@12.4.2` (npm is all a fresh machine needs; corepack is not used).
 */
import { execFileSync, spawnSync } from 'node:child_process';

export const PNPM_VERSION = '12.4.2';

function pnpmOnPath() {
  try {
    return execFileSync('pnpm', ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

/** The command and leading arguments that run pnpm. */
export const pnpm =
  pnpmOnPath() === PNPM_VERSION ? ['pnpm'] : ['npx', '--yes', `pnpm@${PNPM_VERSION}`];

/** Runs pnpm with `args`, inheriting stdio; exits the process with pnpm's code on failure. */
export function runPnpm(args, options = {}) {
  const [command, ...lead] = pnpm;
  const result = spawnSync(command, [...lead, ...args], { stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`\n✖ pnpm ${args.join(' ')} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}

/** Installs the locked dependencies and builds every package (what both README commands need first). */
export function installAndBuild() {
  runPnpm(['install', '--frozen-lockfile']);
  runPnpm(['build']);
}
