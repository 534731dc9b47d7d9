import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProtocolRequest, ProtocolResponse } from '../protocol/types.js';

/** Marks a body read that ended because the client went away. */
export class ClientAbortedError extends Error {
  readonly clientAborted = true;
}

/** Adapts node's IncomingMessage to the protocol's request shape without copying headers. */
export class NodeRequest implements ProtocolRequest {
  readonly #req: IncomingMessage;

  constructor(req: IncomingMessage) {
    this.#req = req;
  }

  get method(): string {
    return this.#req.method ?? 'GET';
  }

  get url(): string {
    return this.#req.url ?? '/';
  }

  header(name: string): string | undefined {
    const value = this.#req.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  }

  *headerEntries(): Iterable<[string, string]> {
    for (const [name, value] of Object.entries(this.#req.headers)) {
      if (value !== undefined) yield [name, Array.isArray(value) ? value.join(', ') : value];
    }
  }

  readBody(limit: number): Promise<Buffer | undefined> {
    const req = this.#req;
    if (req.complete && req.readableEnded) return Promise.resolve(Buffer.alloc(0));
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const cleanup = () => {
        req.off('data', onData);
        req.off('end', onEnd);
        req.off('error', onAbort);
        req.off('close', onAbort);
      };
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) {
          // Stop here: what arrived so far is dropped and nothing more is read into memory.
          cleanup();
          chunks.length = 0;
          req.pause();
          resolve(undefined);
          return;
        }
        chunks.push(chunk);
      };
      const onEnd = () => {
        cleanup();
        resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
      };
      const onAbort = () => {
        cleanup();
        reject(new ClientAbortedError('client closed the request'));
      };
      req.on('data', onData);
      req.on('end', onEnd);
      req.on('error', onAbort);
      req.on('close', onAbort);
    });
  }
}

const EMPTY = {};

/** Writes a protocol response; a `reset` fault destroys the socket instead. */
export function sendNode(res: ServerResponse, r: ProtocolResponse): void {
  if (r.reset) {
    res.socket?.destroy();
    return;
  }
  if (res.headersSent || res.destroyed) return;
  const body = r.body;
  const extra = r.close ? { connection: 'close' } : EMPTY;
  if (body === undefined) {
    res.writeHead(r.status, r.close ? { ...r.headers, ...extra } : r.headers).end();
    return;
  }
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  res.writeHead(r.status, { ...r.headers, ...extra, 'content-length': length }).end(body);
}
