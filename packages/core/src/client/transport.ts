/**
 * The seam between protocol logic and the network. The default transport is `fetch`, which runs on
 * Node 20+, Bun, Deno and Cloudflare Workers; `@momento-http/core/node` swaps in undici.
 */

import type { AbortLike } from './abort';

/** One HTTP request, fully formed. The token is already in `headers.authorization`. */
export interface TransportRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: Uint8Array | undefined;
  /** Aborts on the caller's signal or the call's deadline. Created on first access. */
  readonly signal: AbortSignal;
  /** The same abort as a light EventTarget-like object, for transports that accept one (undici). */
  readonly abort: AbortLike;
  /**
   * A topics long poll: it holds a connection for up to tens of seconds, so a transport with a
   * bounded pool sends it on connections of its own (undici does). `fetch` has no pools to choose.
   */
  readonly longPoll?: boolean;
  /** Background work: a transport that can (undici) sends it on sockets that keep no process alive. */
  readonly background?: boolean;
}

/** The headers of a response; a `Headers` object satisfies this. Names are case-insensitive. */
export interface ResponseHeaders {
  get(name: string): string | null;
  forEach(callback: (value: string, name: string) => void): void;
}

/** A response whose body has been read in full. */
export interface TransportResponse {
  status: number;
  headers: ResponseHeaders;
  body: Uint8Array;
}

/**
 * Sends one request and reads the whole response. Must reject (with anything) when the request
 * fails before a complete response, and should stop promptly when `signal` aborts.
 */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

/** A `fetch`-compatible function. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

const EMPTY = new Uint8Array(0);

/**
 * A transport over `fetch` (the global one unless given).
 * @example createClient({ transport: fetchTransport(myFetch) })
 */
export function fetchTransport(fetchFn?: FetchLike): Transport {
  // Called as a plain function: workerd throws "Illegal invocation" if fetch has a foreign `this`.
  const send: FetchLike = fetchFn ?? ((input, init) => globalThis.fetch(input, init));
  return async (request) => {
    const response = await send(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body as BodyInit | undefined,
      signal: request.signal,
      redirect: 'manual',
    });
    let body = EMPTY;
    if (response.status !== 204) {
      try {
        body = new Uint8Array(await response.arrayBuffer());
      } catch (error) {
        // An early refusal (its status is known) may be cut off by the connection closing: the
        // status is the answer; only a success needs its whole body.
        if (response.status < 300 || request.signal.aborted) throw error;
      }
    }
    return { status: response.status, headers: response.headers, body };
  };
}
