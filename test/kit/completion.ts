import type { ChildProcess } from 'node:child_process';

/** What a process printed and how it ended. */
export interface Completion {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Waits for `child` (spawned with piped stdout and stderr) to close, collecting its output.
 * Rejects only when it could not be started at all.
 */
export function completion(child: ChildProcess): Promise<Completion> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr?.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
