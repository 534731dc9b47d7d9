import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type ProcessInfo, pollUntil, processTree } from './processes';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const DEMO_PORTS = [4545, 3000, 3001, 3002];
const GUIDE_END = 'Ctrl-C stops everything.';

/** `node scripts/demo.mjs` as a newcomer runs it, minus the install and build `npm test` just did. */
export class Demo {
  readonly child: ChildProcess;
  /** stdout and stderr as they arrived (two pipes: their relative order is approximate). */
  output = '';
  /** stdout alone, where the demo's own progress lines go in the order it wrote them. */
  stdout = '';
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Every process seen below the demo while it ran (see `snapshot`). */
  readonly seen = new Map<string, ProcessInfo>();

  constructor() {
    // Its own process group, as a terminal gives the foreground job: a signal sent to the demo
    // reaches nothing else, so what stops the apps is the demo's own shutdown.
    this.child = spawn(process.execPath, ['scripts/demo.mjs'], {
      cwd: ROOT,
      env: { ...process.env, DEMO_SKIP_INSTALL: '1', NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      // Decoded by the stream, so a chunk that ends inside "…" does not garble it.
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        this.output += chunk;
        if (stream === this.child.stdout) this.stdout += chunk;
      });
    }
    this.exit = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** The last lines the demo printed, for a failure message. */
  tail(lines = 60): string {
    return this.output.split('\n').slice(-lines).join('\n');
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Waits for the printed guide and returns it; fails with the demo's output if it exits first. */
  async guide(timeoutMs: number): Promise<string> {
    await pollUntil(
      () => {
        if (this.exited) throw new Error(`the demo exited before its guide:\n${this.output}`);
        return this.output.includes(GUIDE_END);
      },
      timeoutMs,
      `the demo's guide; output so far:\n${this.output}`,
    );
    const lines = this.output.split('\n');
    const end = lines.findIndex((line) => line.includes(GUIDE_END));
    const start = lines.findLastIndex((line, i) => i < end && line.startsWith('───'));
    return lines.slice(start, end + 1).join('\n');
  }

  /** Records the demo's process tree (call it whenever new processes may have appeared). */
  snapshot(): void {
    for (const p of processTree(this.pid)) this.seen.set(`${p.pid}@${p.start}`, p);
  }

  /** The process groups the demo's processes ran in. */
  groups(): Set<number> {
    return new Set([...this.seen.values()].map((p) => p.pgid));
  }

  /** Last resort for afterAll: kill whatever is left of this run so later suites get the ports. */
  killAll(): void {
    if (!this.exited) this.snapshot();
    for (const group of [this.pid, ...this.groups()]) {
      try {
        process.kill(-group, 'SIGKILL');
      } catch {}
    }
  }
}

const exec = promisify(execFile);

/** Runs one command of the guide the way a user pastes it: in a POSIX shell, from the repo root. */
export async function shell(command: string): Promise<string> {
  const { stdout } = await exec('sh', ['-c', command], { cwd: ROOT, timeout: 60_000 });
  return stdout;
}

/**
 * The guide's commands: indented lines starting with `curl`, `MOMENTO_` or `export`, trailing
 * `# comments` removed and `\` continuations joined.
 */
export function guideCommands(guide: string): string[] {
  const commands: string[] = [];
  let pending = '';
  for (const raw of guide.split('\n')) {
    const line = raw.replace(/\s+#.*$/, '').trim();
    if (pending) {
      pending += ` ${line}`;
    } else if (/^(curl |export |MOMENTO_\w+=)/.test(line)) {
      pending = line;
    } else continue;
    if (pending.endsWith('\\')) pending = pending.slice(0, -1).trim();
    else {
      commands.push(pending);
      pending = '';
    }
  }
  return commands;
}

/** `promise`, or a rejection naming `what` once `timeoutMs` has passed. */
export async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${timeoutMs} ms: ${what}`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
