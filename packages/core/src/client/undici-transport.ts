/**
 * A transport over `undici.request` with a keep-alive Agent: Node only (imported by src/node.ts,
 * never by the default entry). On Node it is several times faster than the global `fetch`.
 */
import { Agent, type Dispatcher, request } from 'undici';
import type { ResponseHeaders, Transport } from './transport';

/** Connections per origin of the default Agent; enough for 64+ concurrent calls without queueing long. */
export const DEFAULT_CONNECTIONS = 128;
/** Idle keep-alive; below the 350 s AWS NLB idle timeout Momento sits behind. */
export const DEFAULT_KEEP_ALIVE_MS = 60_000;

export interface UndiciTransportOptions {
  /** Use this dispatcher (Agent, Pool, MockAgent…) instead of creating one. */
  dispatcher?: Dispatcher;
  /** Max connections per origin. @default 128 */
  connections?: number;
  /** Keep idle connections this long. @default 60000 */
  keepAliveTimeoutMs?: number;
}

const EMPTY = new Uint8Array(0);

/** undici's plain-object headers behind the `get` / `forEach` shape of `Headers`. */
class PlainHeaders implements ResponseHeaders {
  readonly #raw: Record<string, string | string[] | undefined>;
  constructor(raw: Record<string, string | string[] | undefined>) {
    this.#raw = raw;
  }
  get(name: string): string | null {
    const value = this.#raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }
  forEach(callback: (value: string, name: string) => void): void {
    for (const [name, value] of Object.entries(this.#raw)) {
      if (value !== undefined) callback(Array.isArray(value) ? value.join(', ') : value, name);
    }
  }
}

/**
 * Creates a transport on `undici.request`.
 * @example createClient({ transport: undiciTransport({ connections: 256 }) })
 */
export function undiciTransport(options: UndiciTransportOptions = {}): Transport {
  const dispatcher =
    options.dispatcher ??
    new Agent({
      connections: options.connections ?? DEFAULT_CONNECTIONS,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_MS,
      keepAliveMaxTimeout: Math.max(options.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_MS, 600_000),
    });
  return async (req) => {
    const response = await request(req.url, {
      method: req.method as Dispatcher.HttpMethod,
      headers: req.headers,
      body: req.body,
      // The light abort object: undici only needs aborted / reason / add/removeEventListener.
      signal: req.abort,
      dispatcher,
    });
    let body: Uint8Array;
    if (response.statusCode === 204) {
      await response.body.dump();
      body = EMPTY;
    } else {
      body = new Uint8Array(await response.body.arrayBuffer());
    }
    return { status: response.statusCode, headers: new PlainHeaders(response.headers), body };
  };
}
