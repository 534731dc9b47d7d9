import { spawn } from 'node:child_process';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { completion } from '@momento-http/test-kit';
import type { PurgeHandler } from '../../src/purge/purge-handler';

const root = fileURLToPath(new URL('../../../..', import.meta.url));
const cli = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));

/** Runs `momento-http <args>` from source as a real process (node + tsx), to completion. */
export function runPurgeCli(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      MOMENTO_API_KEY: undefined,
      MOMENTO_ENDPOINT: undefined,
      MOMENTO_CACHE_NAME: undefined,
      ...env,
    },
  });
  return completion(child);
}

/** The handler behind a real loopback HTTP server. */
export async function serve(
  handler: PurgeHandler | ((req: IncomingMessage, res: ServerResponse) => void),
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/purge`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A POST that declares `declaredBytes` (or none: chunked) but sends only `sentBytes`, never ending, and resolves with
 * the status as soon as the answer arrives: a server that waited for the whole body never
 * answers.
 */
export function postPartially(
  url: string,
  headers: Record<string, string>,
  declaredBytes: number | 'chunked',
  sentBytes: number,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      method: 'POST',
      headers:
        declaredBytes === 'chunked'
          ? { ...headers, 'transfer-encoding': 'chunked' }
          : { ...headers, 'content-length': String(declaredBytes) },
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.write(Buffer.alloc(sentBytes, 0x20));
  });
}
