import { type RunningServer, type ServerOptions, startServer } from '../src/index.js';

/** Starts a server on port 0 for one test file; close it in afterAll. */
export const start = (options: ServerOptions = {}): Promise<RunningServer> =>
  startServer({ port: 0, ...options });

export interface Reply {
  status: number;
  headers: Headers;
  body: string;
  bytes: Buffer;
}

/** One request with fetch; the body is read fully so connections are reused. */
export async function call(
  server: { url: string },
  path: string,
  init: RequestInit & { key?: string } = {},
): Promise<Reply> {
  const headers = new Headers(init.headers);
  if (init.key !== undefined) headers.set('authorization', init.key);
  const res = await fetch(`${server.url}${path}`, { ...init, headers });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, body: bytes.toString('utf8'), bytes };
}
