/** Runs one sample as a child process: to its exit, or until it prints the port it listens on. */
import { type ChildProcess, spawn } from 'node:child_process';

export interface SampleRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface SampleProcess {
  /** Resolves with the port once the sample's server listens (the prelude prints it). */
  readonly listening: Promise<number>;
  /** Resolves when the process ended, by itself or by `stop()`. */
  readonly exited: Promise<SampleRun>;
  stop(): Promise<SampleRun>;
}

const LISTENING = /SAMPLE_LISTENING (\d+)/;

export function startSample(
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): SampleProcess {
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
  const exited = new Promise<SampleRun>((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
  const listening = new Promise<number>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk;
      const port = LISTENING.exec(stdout)?.[1];
      if (port) resolve(Number(port));
    });
    void exited.then((run) =>
      reject(new Error(`the sample exited (${run.code}) before listening:\n${run.stderr}`)),
    );
  });
  listening.catch(() => {}); // a sample that is not a server never listens
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  return {
    listening,
    exited,
    stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
