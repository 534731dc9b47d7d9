/** App instances in their own processes, and requests that carry a Host header. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * Starts a fixture (TypeScript, through tsx) in its own process with `env` added; resolves with
 * its base URL once it prints `{"port": n}`. The child is pushed to `children` for the caller to
 * stop.
 */
export async function startInstance(
  children: ChildProcess[],
  fixture: string,
  env: Record<string, string>,
): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`;
}

/** A request with one Host for every instance (fetch does not allow setting it): one cache key. */
export function hostCall(
  base: string,
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<{ text: string; cache: string | undefined }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path,
        method,
        headers: { host: 'shop.example', 'content-type': 'application/json', ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => resolve({ text, cache: res.headers['x-cache'] as string | undefined }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
