import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { CacheRequest } from './types';

/** Marks a background refresh request; a symbol, so no client can forge it. */
export const REFRESH = Symbol('momento-http.express.refresh');

interface AppLike {
  parent?: AppLike;
  handle?: (req: IncomingMessage, res: ServerResponse, done: (error?: unknown) => void) => void;
}

/** Request headers a background refresh does not copy from the request that triggered it. */
const NOT_COPIED = new Set([
  'if-none-match',
  'if-modified-since',
  'if-match',
  'if-unmodified-since',
  'if-range',
  'range',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'expect',
]);

/**
 * Runs the request again through the whole Express application in the background, without a
 * client: a request built from the one that found the stale entry (same URL and headers, the
 * client's conditionals removed) and a response nobody reads. The cache middleware recognises it
 * by `marker` and records the result instead of sending it. This is what a proxy's background
 * refresh does, without a network round trip to ourselves or a secret header.
 *
 * Returns false when the app cannot be driven this way (not an Express app).
 */
export function dispatchRefresh(req: CacheRequest, marker: unknown, onDone: () => void): boolean {
  let app = req.app as AppLike | undefined;
  while (app?.parent) app = app.parent;
  if (!app || typeof app.handle !== 'function') return false;
  const socket = new Socket();
  // Express derives req.ip, req.protocol and the trust decision from these.
  for (const name of ['remoteAddress', 'remotePort', 'localAddress', 'localPort', 'encrypted']) {
    const value = (req.socket as unknown as Record<string, unknown> | undefined)?.[name];
    Object.defineProperty(socket, name, { value, configurable: true });
  }
  const fake = new IncomingMessage(socket);
  fake.method = 'GET';
  fake.url = req.originalUrl ?? req.url ?? '/';
  fake.httpVersion = req.httpVersion;
  fake.httpVersionMajor = req.httpVersionMajor;
  fake.httpVersionMinor = req.httpVersionMinor;
  const headers: IncomingMessage['headers'] = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && !NOT_COPIED.has(name)) headers[name] = value;
  }
  fake.headers = headers;
  fake.push(null);
  fake.complete = true;
  (fake as unknown as Record<symbol, unknown>)[REFRESH] = marker;
  const res = new ServerResponse(fake);
  let settled = false;
  const done = () => {
    if (settled) return;
    settled = true;
    onDone();
  };
  res.once('finish', done);
  try {
    app.handle(fake, res, done);
  } catch {
    done();
    return false;
  }
  return true;
}
