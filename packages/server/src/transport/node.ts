import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Later } from '../protocol/later.js';
import { OCTET, type ProtocolRequest, type ProtocolResponse, TEXT } from '../protocol/types.js';

/** Marks a body read that ended because the client went away. */
export class ClientAbortedError extends Error {
  readonly clientAborted = true;
}

/** Adapts node's IncomingMessage to the protocol's request shape without copying headers. */
export class NodeRequest implements ProtocolRequest {
  readonly #req: IncomingMessage;
  /** Set for `Expect: 100-continue`: where the `100 Continue` goes once the body is wanted. */
  #awaitingContinue: ServerResponse | undefined;

  constructor(req: IncomingMessage, awaitingContinue?: ServerResponse) {
    this.#req = req;
    this.#awaitingContinue = awaitingContinue;
  }

  get method(): string {
    return this.#req.method ?? 'GET';
  }

  get url(): string {
    return this.#req.url ?? '/';
  }

  /**
   * Reads `rawHeaders` directly: touching `req.headers` makes node build a header object for every
   * request, which costs more than everything else the protocol does on a cache hit.
   */
  header(name: string): string | undefined {
    const raw = this.#req.rawHeaders;
    let found: string | undefined;
    for (let i = 0; i < raw.length; i += 2) {
      const candidate = raw[i]!;
      if (
        candidate.length === name.length &&
        (candidate === name || candidate.toLowerCase() === name)
      ) {
        found = found === undefined ? raw[i + 1]! : `${found}, ${raw[i + 1]!}`;
      }
    }
    return found;
  }

  /** Whether a header (lower-case name) is present; stops at the first match. */
  has(name: string): boolean {
    const raw = this.#req.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) {
      const candidate = raw[i]!;
      if (
        candidate.length === name.length &&
        (candidate === name || candidate.toLowerCase() === name)
      )
        return true;
    }
    return false;
  }

  onGone(listener: () => void): () => void {
    // The socket, not the request: a GET's request stream is over before the answer is written.
    // Keep-alive reuses the socket, so the listener is removed once the answer is ready.
    const socket = this.#req.socket;
    if (socket.destroyed) {
      listener();
      return () => {};
    }
    socket.once('close', listener);
    return () => socket.off('close', listener);
  }

  *headerEntries(): Iterable<[string, string]> {
    for (const [name, value] of Object.entries(this.#req.headers)) {
      if (value !== undefined) yield [name, Array.isArray(value) ? value.join(', ') : value];
    }
  }

  readBody(limit: number): Promise<Buffer | undefined> {
    return new Promise((resolve, reject) =>
      this.readBodyThen(limit, identity).listen(resolve, reject),
    );
  }

  readBodyThen<T>(limit: number, then: (body: Buffer | undefined) => T): Later<Awaited<T>> {
    const req = this.#req;
    if (this.#awaitingContinue !== undefined) {
      this.#awaitingContinue.writeContinue();
      this.#awaitingContinue = undefined;
    }
    const later = new Later<Awaited<T>>();
    const read: BodyRead = {
      chunks: [],
      size: 0,
      limit,
      onBody: then,
      later: later as Later<unknown>,
    };
    if (req.complete && req.readableEnded) {
      settle(read, Buffer.alloc(0));
      return later;
    }
    (req as ReadingMessage)[READER] = read;
    req.on('data', onData);
    req.on('end', onEnd);
    // 'close' alone catches an abort: node emits a request's 'error' only when someone listens
    // for it, and always emits 'close' afterwards. One listener fewer to add and remove per PUT.
    req.on('close', onAbort);
    return later;
  }
}

/**
 * One body read in progress, kept on the request itself so the listeners below are shared
 * module-level functions (`this` is the request) rather than closures made for every PUT.
 */
interface BodyRead {
  chunks: Buffer[];
  size: number;
  limit: number;
  onBody: (body: Buffer | undefined) => unknown;
  later: Later<unknown>;
}

const READER = Symbol('momento-http body read');
type ReadingMessage = IncomingMessage & { [READER]?: BodyRead | undefined };

/** Detaches the listeners and returns the read, or `undefined` if it already finished. */
function finishRead(req: ReadingMessage): BodyRead | undefined {
  const read = req[READER];
  if (read === undefined) return undefined;
  req[READER] = undefined;
  req.off('data', onData);
  req.off('end', onEnd);
  req.off('close', onAbort);
  return read;
}

function onData(this: ReadingMessage, chunk: Buffer): void {
  const read = this[READER];
  if (read === undefined) return;
  read.size += chunk.length;
  if (read.size > read.limit) {
    // Stop here: what arrived so far is dropped and nothing more is read into memory.
    finishRead(this);
    read.chunks.length = 0;
    this.pause();
    settle(read, undefined);
    return;
  }
  read.chunks.push(chunk);
}

function onEnd(this: ReadingMessage): void {
  // The body is complete: no 'data' or 'end' comes again, and the one 'close' still to come finds
  // no read. Clearing the marker is enough: removing three listeners per PUT is pure cost.
  const read = this[READER];
  if (read === undefined) return;
  this[READER] = undefined;
  const { chunks, size } = read;
  settle(read, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
}

/** Runs the reader's continuation now, in the body's own event; a throw rejects the read. */
function settle(read: BodyRead, body: Buffer | undefined): void {
  try {
    read.later.resolve(read.onBody(body));
  } catch (error) {
    read.later.reject(error);
  }
}

const identity = (body: Buffer | undefined): Buffer | undefined => body;

function onAbort(this: ReadingMessage): void {
  finishRead(this)?.later.reject(new ClientAbortedError('client closed the request'));
}

/** Writes a protocol response; a `reset` fault destroys the socket instead. */
export function sendNode(res: ServerResponse, r: ProtocolResponse): void {
  if (r.reset) {
    res.socket?.destroy();
    return;
  }
  if (res.headersSent || res.destroyed) return;
  if (r.bodyUnread === true && !res.req.complete) dropRestOfBody(res);
  const body = r.body;
  if (body === undefined) {
    res.writeHead(r.status, r.headers).end();
    return;
  }
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  const h = r.headers;
  // Object literals for the hot shapes: node serialises them measurably faster than a spread copy.
  const headers =
    h === OCTET
      ? { 'content-type': 'application/octet-stream', 'content-length': length }
      : h === TEXT
        ? { 'content-type': 'text/plain; charset=utf-8', 'content-length': length }
        : { ...h, 'content-length': length };
  res.writeHead(r.status, headers).end(body);
}

/** Most bytes of a refused body read and dropped to keep the connection; beyond, it is closed. */
export const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;
/** How long a refused body may take to arrive before the connection is closed. */
export const DRAIN_TIMEOUT_MS = 5_000;
/** After our FIN, how long the client gets to read the answer and hang up before the socket is cut. */
export const LINGER_MS = 5_000;

/**
 * A body refused before its end (a 413 on a declared or streamed length). Closing at once would
 * reset the connection while the client is still sending, and a reset makes most clients lose the
 * answer (they report EPIPE/ECONNRESET and retry the upload). So: a body of known length within
 * `DRAIN_LIMIT_BYTES` is read and dropped and the connection stays usable; a longer, unknown or
 * too slow one gets a lingering close once the answer is out (FIN, keep dropping what arrives,
 * cut after `LINGER_MS`). The answer never announces keep-alive off: node would then destroy the
 * socket right after the answer, which is the reset this avoids.
 */
function dropRestOfBody(res: ServerResponse): void {
  const req = res.req;
  const socket = req.socket;
  const declared = Number(req.headers['content-length']);
  let dropped = 0;
  const giveUp = () => {
    cleanup();
    if (res.writableFinished) lingerClose(socket);
    else res.once('finish', () => lingerClose(socket));
  };
  const onData = (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DRAIN_LIMIT_BYTES) giveUp();
  };
  const timer = setTimeout(giveUp, DRAIN_TIMEOUT_MS);
  timer.unref();
  const cleanup = () => {
    clearTimeout(timer);
    req.off('data', onData);
    req.off('end', cleanup);
    req.off('close', cleanup);
  };
  req.on('end', cleanup);
  req.on('close', cleanup);
  if (Number.isSafeInteger(declared) && declared <= DRAIN_LIMIT_BYTES) req.on('data', onData);
  else giveUp();
  req.resume();
}

function lingerClose(socket: Socket): void {
  if (socket.destroyed) return;
  socket.end();
  const cut = setTimeout(() => socket.destroy(), LINGER_MS);
  cut.unref();
  socket.once('close', () => clearTimeout(cut));
}
