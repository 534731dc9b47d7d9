import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { completion } from '@momento-http/test-kit';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

/**
 * Stands in for the user's state directory (where the CLI keeps its default signing secret), so
 * tests never touch the real one. One per test file; a test may pass its own `XDG_STATE_HOME`.
 */
export const stateHome = mkdtempSync(join(tmpdir(), 'momento-cli-state-'));

/** Runs the CLI from source as a real process (node + tsx). */
export function spawnCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
    cwd: root,
    env: {
      ...process.env,
      MOMENTO_HTTP_SERVER_SECRET: undefined,
      XDG_STATE_HOME: stateHome,
      ...env,
    },
  });
}

/** Runs the CLI to completion. */
export function runCli(args: string[], env?: NodeJS.ProcessEnv) {
  return completion(spawnCli(args, env));
}

/** Starts the server CLI and waits for the export lines. */
export async function startCli(args: string[], env?: NodeJS.ProcessEnv) {
  const child = spawnCli(args, env);
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => resolve(code)),
  );
  const ready = await new Promise<{ key: string; endpoint: string }>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      const key = /^export MOMENTO_API_KEY=(\S+)$/m.exec(stdout)?.[1];
      const endpoint = /^export MOMENTO_ENDPOINT=(\S+)$/m.exec(stdout)?.[1];
      if (key && endpoint) resolve({ key, endpoint });
    });
    child.on('close', () => reject(new Error(`CLI exited early: ${stderr}`)));
  });
  return {
    ...ready,
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      child.kill(signal);
      return exited;
    },
  };
}
