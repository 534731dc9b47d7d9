import type { ApiKeyOptions } from './auth/keys.js';
import { closeContext, createContext } from './context-setup.js';
import { resolveOptions, type ServerOptions } from './options.js';
import { handle } from './protocol/respond.js';
import type { Context } from './protocol/server-context.js';
import { FetchRequest, toFetchResponse } from './transport/fetch.js';

/** A fetch-style handler plus what a host needs to manage it. */
export interface FetchHandler {
  (request: Request): Promise<Response>;
  /** Mints an API key signed by this handler's secret. */
  createApiKey(options?: ApiKeyOptions): Promise<string>;
  /** Releases storage connections and timers. */
  close(): Promise<void>;
}

/**
 * The same protocol as `startServer`, as a `(Request) => Promise<Response>` function for any
 * fetch-style host (tests, `Bun.serve`, a Service Worker-like runtime with node:crypto). `port` and
 * `host` are ignored; state is created on the first call.
 *
 * @example
 * const handler = createHandler({ signingSecret: 'dev-secret' });
 * const key = await handler.createApiKey();
 * const res = await handler(new Request('http://local/cache/default-cache?key=a', { headers: { authorization: key } }));
 */
export function createHandler(options: ServerOptions = {}): FetchHandler {
  const resolved = resolveOptions(options);
  let ready: Promise<Context> | undefined;
  const context = () => {
    ready ??= createContext(resolved);
    return ready;
  };
  const handler = (async (request: Request) =>
    toFetchResponse(await handle(await context(), new FetchRequest(request)))) as FetchHandler;
  handler.createApiKey = async (opts) => (await context()).auth.mint(opts);
  handler.close = async () => {
    if (ready) await closeContext(await ready);
  };
  return handler;
}
