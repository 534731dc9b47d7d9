import type { ProtocolRequest, ProtocolResponse } from '../protocol/types.js';

/** Adapts a WHATWG `Request` to the protocol's request shape. */
export class FetchRequest implements ProtocolRequest {
  readonly #req: Request;
  readonly url: string;

  constructor(req: Request) {
    this.#req = req;
    const parsed = new URL(req.url);
    // The protocol wants the raw target: keep the percent-encoding as sent.
    this.url = parsed.pathname + parsed.search;
  }

  get method(): string {
    return this.#req.method;
  }

  header(name: string): string | undefined {
    return this.#req.headers.get(name) ?? undefined;
  }

  headerEntries(): Iterable<[string, string]> {
    return this.#req.headers.entries();
  }

  /** Runtimes that abort `request.signal` when the client disconnects end a held long poll early. */
  onGone(listener: () => void): () => void {
    const signal = this.#req.signal;
    if (signal.aborted) {
      listener();
      return () => {};
    }
    signal.addEventListener('abort', listener, { once: true });
    return () => signal.removeEventListener('abort', listener);
  }

  readBodyThen<T>(limit: number, then: (body: Buffer | undefined) => T): Promise<Awaited<T>> {
    return this.readBody(limit).then(then) as Promise<Awaited<T>>;
  }

  async readBody(limit: number): Promise<Buffer | undefined> {
    const stream = this.#req.body;
    if (stream === null) return Buffer.alloc(0);
    const reader = stream.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel();
        return undefined;
      }
      chunks.push(value);
    }
    return Buffer.concat(chunks, size);
  }
}

/** Turns a protocol response into a WHATWG `Response` (a `reset` fault becomes a rejected promise). */
export function toFetchResponse(r: ProtocolResponse): Response {
  if (r.reset) throw new TypeError('connection reset (injected fault)');
  const body = r.body;
  const init = { status: r.status, headers: r.headers };
  if (r.status === 204 || r.status === 304 || body === undefined) return new Response(null, init);
  return new Response(
    typeof body === 'string'
      ? body
      : (new Uint8Array(body.buffer, body.byteOffset, body.length) as Uint8Array<ArrayBuffer>),
    init,
  );
}
