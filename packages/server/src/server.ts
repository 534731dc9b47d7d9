import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ApiKeyOptions } from './auth/keys.js';
import { closeContext, createContext } from './context-setup.js';
import type { FaultControls } from './faults.js';
import { type ResolvedOptions, resolveOptions, type ServerOptions } from './options.js';
import { respond } from './protocol/respond.js';
import type { Context } from './protocol/server-context.js';
import { type ProtocolResponse, text } from './protocol/types.js';
import { NodeRequest, sendNode } from './transport/node.js';

/** A running local server. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:4545` (use it as `MOMENTO_ENDPOINT`). */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, lets in-flight requests finish (up to 2 s), then releases storage. */
  close(): Promise<void>;
  /** Mints an API key signed by this server. With no options: a super-user key. */
  createApiKey(options?: ApiKeyOptions): string;
  /** Fault injection (throws unless started with `faults: true`). */
  readonly faults: FaultControls;
}

/** Thrown when the server cannot listen (port in use, permission). */
export class ServerListenError extends Error {
  override name = 'ServerListenError';
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

const CLIENT_ERRORS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout'],
  HPE_HEADERS_TIMEOUT: [408, 'Request Timeout'],
};

/**
 * Starts the local Momento-compatible server.
 *
 * @example
 * const server = await startServer({ port: 0 });
 * const apiKey = server.createApiKey();
 * await fetch(`${server.url}/cache/default-cache?key=a&ttl_seconds=60`, {
 *   method: 'PUT', headers: { authorization: apiKey }, body: 'hello',
 * });
 * await server.close();
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const resolved = resolveOptions(options);
  const ctx = await createContext(resolved);
  const server = createServer({
    // Slow-client guards. Node checks them every `connectionsCheckingInterval` (30 s by default,
    // far too coarse for a 10 s header deadline).
    headersTimeout: Math.min(resolved.headersTimeoutMs, resolved.requestTimeoutMs),
    requestTimeout: resolved.requestTimeoutMs,
    connectionsCheckingInterval: Math.min(1_000, resolved.headersTimeoutMs),
    keepAliveTimeout: 5_000,
    // Node's own check answers an empty 400; `answerWithoutHost` says why, in the usual form.
    requireHostHeader: false,
  });
  const onRequest = (req: IncomingMessage, res: ServerResponse, expectsContinue: boolean) => {
    const request = new NodeRequest(req, expectsContinue ? res : undefined);
    // Through the raw headers: `req.headers` would build a header object for every request.
    if (req.httpVersionMinor === 1 && !request.has('host')) answerWithoutHost(res);
    else respond(ctx, request, res, send);
  };
  server.on('request', (req, res) => onRequest(req, res, false));
  // `Expect: 100-continue`: the 100 goes out only when the protocol starts reading the body, so a
  // request refused on its headers (a declared over-limit length, a bad key) is never invited.
  server.on('checkContinue', (req, res) => onRequest(req, res, true));
  // Without a listener node drops a CONNECT without a word: this is no proxy, so say so.
  server.on('connect', (_req, socket: Socket) => {
    const body = 'CONNECT is not supported: this is not a proxy';
    socket.end(
      rawAnswer(
        405,
        'Method Not Allowed',
        body,
        'allow: GET, HEAD, PUT, POST, DELETE, OPTIONS\r\n',
      ),
    );
  });
  // Malformed HTTP never reaches the protocol: answer 4xx with a message, then close.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    const current = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (!socket.writable || current?.headersSent) {
      socket.destroy();
      return;
    }
    const [status, reason] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'Bad Request'];
    socket.end(rawAnswer(status, reason, `${reason}: malformed HTTP request`));
  });
  try {
    await listen(server, resolved);
  } catch (error) {
    await closeContext(ctx);
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : resolved.port;
  const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () => shutdown(server, ctx),
    createApiKey: (opts) => ctx.auth.mint(opts),
    faults: faultControls(ctx),
  };
}

/** A whole plain-text HTTP/1.1 answer that closes the connection, for sockets node has given up. */
function rawAnswer(status: number, reason: string, body: string, extraHeaders = ''): string {
  return `HTTP/1.1 ${status} ${reason}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${extraHeaders}connection: close\r\n\r\n${body}`;
}

/** HTTP/1.1 requires `Host` (RFC 9112 §3.2); answered like every other 400 here. */
function answerWithoutHost(res: ServerResponse): void {
  res.shouldKeepAlive = false;
  send(res, text(400, 'Bad Request: the Host header is required'));
}

/** Writes the answer; a failure here is a bug, so drop the connection rather than the process. */
function send(res: ServerResponse, r: ProtocolResponse): void {
  try {
    sendNode(res, r);
  } catch {
    res.socket?.destroy();
  }
}

function listen(server: Server, options: ResolvedOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      const where = `${options.host}:${options.port}`;
      const message =
        error.code === 'EADDRINUSE'
          ? `port ${options.port} is already in use on ${options.host} (choose another with --port)`
          : error.code === 'EACCES'
            ? `permission denied to listen on ${where}`
            : `cannot listen on ${where}: ${error.message}`;
      reject(new ServerListenError(message, error.code));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(options.port, options.host);
  });
}

async function shutdown(server: Server, ctx: Context): Promise<void> {
  if (!server.listening) return;
  ctx.shutdown.abort();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const force = setTimeout(() => server.closeAllConnections(), 2_000);
  force.unref();
  await closed;
  clearTimeout(force);
  await closeContext(ctx);
}

function faultControls(ctx: Context): FaultControls {
  const disabled = () => {
    throw new Error('fault injection is disabled: start the server with faults: true (--faults)');
  };
  return ctx.options.faults
    ? { add: (rule) => ctx.faults.add(rule), clear: () => ctx.faults.clear() }
    : { add: disabled, clear: disabled };
}
