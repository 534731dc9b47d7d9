/** Starts and drives `fixtures/coherent-peer.ts`: one Keyv app process per call. */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

export interface Peer {
  /** Sends one command and resolves with the answer. */
  call<T = unknown>(op: string, args?: { key?: string; value?: string }): Promise<T>;
  /** Ends the process (its stdin closes: it disconnects and exits). */
  stop(): Promise<void>;
  readonly child: ChildProcess;
}

export interface PeerOptions {
  url: string;
  apiKey: string;
  namespace: string;
  nearTtlMs?: number;
  coherence?: 'topics' | 'ttl';
}

export function startPeer(options: PeerOptions): Peer {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/coherent-peer.ts'], {
    cwd: packageDir,
    env: {
      ...process.env,
      MOMENTO_API_KEY: options.apiKey,
      MOMENTO_ENDPOINT: options.url,
      MOMENTO_CACHE_NAME: 'default-cache',
      NAMESPACE: options.namespace,
      NEAR_TTL_MS: String(options.nearTtlMs ?? 60_000),
      COHERENCE: options.coherence ?? 'topics',
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const waiting = new Map<number, (result: unknown) => void>();
  let nextId = 0;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const { id, result } = JSON.parse(line) as { id: number; result: unknown };
    waiting.get(id)?.(result);
    waiting.delete(id);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    call<T>(op: string, args: { key?: string; value?: string } = {}) {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        waiting.set(id, resolve as (result: unknown) => void);
        exited.then(() => reject(new Error(`peer exited before answering ${op}`)));
        child.stdin!.write(`${JSON.stringify({ id, op, ...args })}\n`);
      });
    },
    async stop() {
      child.stdin!.end();
      const timer = setTimeout(() => child.kill(), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
