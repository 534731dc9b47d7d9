import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** What to do with the response once its status and headers are final. */
export type HeadPlan =
  /** Send it and keep a copy of the body. */
  | { mode: 'tee' }
  /** Send it, keep nothing (not cacheable). */
  | { mode: 'pass' }
  /** Keep a copy, send nothing (a background refresh has no client). */
  | { mode: 'hold' }
  /**
   * Send `status` (the plan's caller has already set the headers on `res`) and `body` instead of
   * what the handler writes (a 304 from the origin answered with the stored body, or stale-if-error).
   */
  | { mode: 'substitute'; status: number; body: Uint8Array | undefined };

/** The response as the handler produced it. `body` is undefined when it went over the limit. */
export interface Captured {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer | undefined;
}

export interface CaptureHooks {
  /** Decides the plan; may change `res` headers (and may set a different status via the plan). */
  onHead(status: number, headers: OutgoingHttpHeaders): HeadPlan;
  /** The handler ended the response. */
  onEnd(captured: Captured, plan: HeadPlan): void;
  /** The response closed before the handler ended it. */
  onAbort(): void;
}

type Callback = (error?: Error | null) => void;
type Chunk = string | Uint8Array | undefined | null;

/**
 * Wraps `res.writeHead`, `res.write` and `res.end` for one response, so whatever the handler does
 * (strings with any encoding, Buffers, Uint8Array chunks, streams piped into `res`, `res.send`,
 * `res.json`, `res.sendFile`, compression before or after) the exact bytes it sends are recorded.
 *
 * Headers are read when they become final, before they are handed on, so a `compression()`
 * mounted before the cache (it sees the response after us) never mixes its encoding into what is
 * stored; one mounted after the cache has already compressed what we record, and says so in the
 * headers we record.
 */
export function captureResponse(res: ServerResponse, maxBodyBytes: number, hooks: CaptureHooks) {
  const inner = { writeHead: res.writeHead, write: res.write, end: res.end };
  let plan: HeadPlan | undefined;
  let status = 200;
  let headers: OutgoingHttpHeaders = {};
  let chunks: Buffer[] | undefined = [];
  let size = 0;
  let ended = false;

  const record = (chunk: Chunk, encoding: unknown) => {
    if (!chunks || chunk === undefined || chunk === null) return;
    // Copies: a handler may reuse or change its buffer after write() returns.
    const bytes =
      typeof chunk === 'string'
        ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
        : Buffer.from(chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.byteLength));
    size += bytes.byteLength;
    if (size > maxBodyBytes) chunks = undefined;
    else chunks.push(bytes);
  };

  const decide = () => {
    status = res.statusCode;
    headers = res.getHeaders();
    const length = Number(headers['content-length']);
    if (Number.isFinite(length) && length > maxBodyBytes) chunks = undefined;
    try {
      plan = hooks.onHead(status, headers);
    } catch {
      plan = { mode: 'pass' };
    }
    if (plan.mode === 'pass') chunks = undefined;
    return plan;
  };

  res.writeHead = function writeHead(this: ServerResponse, code: number, ...rest: unknown[]) {
    if (plan) {
      if (plan.mode === 'hold' || plan.mode === 'substitute') return this;
      return (inner.writeHead as (...a: unknown[]) => ServerResponse).call(this, code, ...rest);
    }
    const reason = typeof rest[0] === 'string' ? rest[0] : undefined;
    const given = (reason === undefined ? rest[0] : rest[1]) as unknown;
    applyHeaders(this, given);
    this.statusCode = code;
    const decided = decide();
    if (decided.mode === 'hold') return this;
    if (decided.mode === 'substitute') return inner.writeHead.call(this, decided.status);
    const writeHead = inner.writeHead as (...a: unknown[]) => ServerResponse;
    return reason === undefined ? writeHead.call(this, code) : writeHead.call(this, code, reason);
  } as ServerResponse['writeHead'];

  res.write = function write(this: ServerResponse, chunk: Chunk, encoding?: unknown, cb?: unknown) {
    if (!plan) this.writeHead(this.statusCode);
    const callback = (typeof encoding === 'function' ? encoding : cb) as Callback | undefined;
    if (!ended) record(chunk, encoding);
    if (plan?.mode === 'hold' || plan?.mode === 'substitute') {
      if (callback) process.nextTick(callback);
      return true;
    }
    return (inner.write as (...a: unknown[]) => boolean).apply(this, [chunk, encoding, cb]);
  } as ServerResponse['write'];

  res.end = function end(this: ServerResponse, chunk?: unknown, encoding?: unknown, cb?: unknown) {
    if (typeof chunk === 'function') [cb, chunk, encoding] = [chunk, undefined, undefined];
    if (typeof encoding === 'function') [cb, encoding] = [encoding, undefined];
    if (ended) return (inner.end as (...a: unknown[]) => ServerResponse).call(this, cb);
    if (!plan) {
      // Node would size a single-chunk body itself; headers are now decided before it sees them.
      const length = bodyLength(chunk as Chunk, encoding);
      if (
        !this.hasHeader('content-length') &&
        !this.hasHeader('transfer-encoding') &&
        this.statusCode !== 204 &&
        this.statusCode !== 304 &&
        this.statusCode >= 200
      ) {
        this.setHeader('Content-Length', length);
      }
      this.writeHead(this.statusCode);
    }
    ended = true;
    record(chunk as Chunk, encoding);
    const decided = plan as HeadPlan;
    const body = chunks ? Buffer.concat(chunks) : undefined;
    chunks = undefined;
    const callback = cb as Callback | undefined;
    if (decided.mode === 'hold') {
      if (callback) process.nextTick(callback);
      this.emit('finish');
    } else if (decided.mode === 'substitute') {
      (inner.end as (...a: unknown[]) => ServerResponse).call(this, decided.body, callback);
    } else {
      (inner.end as (...a: unknown[]) => ServerResponse).call(this, chunk, encoding, callback);
    }
    hooks.onEnd({ status, headers, body }, decided);
    return this;
  } as ServerResponse['end'];

  res.once('close', () => {
    if (!ended) hooks.onAbort();
  });
}

function bodyLength(chunk: Chunk, encoding: unknown): number {
  if (chunk === undefined || chunk === null) return 0;
  if (typeof chunk === 'string') {
    return Buffer.byteLength(
      chunk,
      typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
    );
  }
  return chunk.byteLength;
}

/** Applies `writeHead`'s header argument (object, flat or nested array) through setHeader. */
function applyHeaders(res: ServerResponse, given: unknown): void {
  if (!given || typeof given !== 'object') return;
  if (Array.isArray(given)) {
    const pairs: [string, unknown][] = Array.isArray(given[0])
      ? (given as [string, unknown][])
      : Array.from({ length: given.length / 2 }, (_, i) => [given[2 * i], given[2 * i + 1]]);
    for (const [name, value] of pairs) res.appendHeader(name, value as string);
    return;
  }
  for (const [name, value] of Object.entries(given)) {
    if (value !== undefined) res.setHeader(name, value as string);
  }
}
