/**
 * The transport-neutral shapes the protocol works on. The node:http binding and the fetch-style
 * handler each adapt their own request/response objects to these.
 */

/** What the protocol needs from an incoming request. */
export interface ProtocolRequest {
  /** Upper-case method as received. */
  readonly method: string;
  /** The raw request target: path and query, still percent-encoded. */
  readonly url: string;
  /** A header by lower-case name; repeated headers joined with `, `. */
  header(name: string): string | undefined;
  /** Every header as lower-case name and value (for `mo-meta-*`). */
  headerEntries(): Iterable<[string, string]>;
  /**
   * Reads the body, stopping as soon as more than `limit` bytes arrived: then resolves `undefined`
   * and nothing past the limit is kept.
   */
  readBody(limit: number): Promise<Buffer | undefined>;
  /**
   * `readBody(limit).then(then)`, with `then` run as soon as the body is complete, inside the one
   * promise: a transport that reads from events saves a promise and a microtask per request.
   */
  readBodyThen<T>(limit: number, then: (body: Buffer | undefined) => T): PromiseLike<Awaited<T>>;
  /**
   * Calls `listener` if the client goes away before the answer (a long poll it abandoned);
   * returns the function that stops listening. Optional: a transport without it holds such a poll
   * until its bound.
   */
  onGone?(listener: () => void): () => void;
}

/** What the protocol answers. */
export interface ProtocolResponse {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /**
   * The request body was refused before its end: the transport drops the rest (a bounded drain,
   * else a lingering close) so the client can read this answer instead of meeting a reset.
   */
  bodyUnread?: boolean;
  /** Fault injection: drop the connection without any answer. */
  reset?: boolean;
}

/** Shared header objects; transports recognise them and write literal headers (faster in node). */
export const TEXT = { 'content-type': 'text/plain; charset=utf-8' } as const;
export const OCTET = { 'content-type': 'application/octet-stream' } as const;
const JSON_TYPE = { 'content-type': 'application/json' } as const;

/** A plain-text error or status message (the cache API answers `Key Not Found` etc. as text). */
export const text = (
  status: number,
  message: string,
  headers?: Record<string, string>,
): ProtocolResponse => ({
  status,
  headers: headers ? { ...TEXT, ...headers } : TEXT,
  body: message,
});

/** A JSON answer. */
export const json = (
  status: number,
  value: unknown,
  headers?: Record<string, string>,
): ProtocolResponse => ({
  status,
  headers: headers ? { ...JSON_TYPE, ...headers } : JSON_TYPE,
  body: JSON.stringify(value),
});

/** 204, shared (never mutated by transports). */
export const NO_CONTENT: ProtocolResponse = Object.freeze({ status: 204 });

/** 405 with the `Allow` header. */
export const methodNotAllowed = (allow: string): ProtocolResponse =>
  text(405, `Method Not Allowed; allowed: ${allow}`, { allow });
