/**
 * The protocol's two entry points for transports: `handle` (a response, or a promise of one) and
 * `respond` (calls back with the response). Neither throws nor rejects.
 */
import { performance } from 'node:perf_hooks';
import { RESET } from './faults-endpoint.js';
import { isThenable, Later } from './later.js';
import { observe } from './observe.js';
import { route } from './routes.js';
import type { Context } from './server-context.js';
import { type ProtocolRequest, type ProtocolResponse, text } from './types.js';

/** A response now, or later: the memory-mode hot path stays synchronous (no promise per request). */
export type MaybePromise<T> = T | PromiseLike<T>;

const failure = (error: unknown): ProtocolResponse => {
  const flags = error as { storageUnavailable?: boolean; clientAborted?: boolean };
  return flags.clientAborted
    ? text(400, 'Request aborted by the client')
    : flags.storageUnavailable
      ? text(503, 'Storage unavailable', { 'retry-after': '1' })
      : text(500, 'Internal server error');
};

/**
 * The whole protocol as one function from a transport-neutral request to a response. Never throws
 * and never rejects: an unexpected failure becomes a 500 (a storage outage a 503), so transports
 * stay trivial. Returns synchronously when nothing had to wait (memory-mode GET and DELETE).
 */
export function handle(
  ctx: Context,
  req: ProtocolRequest,
): ProtocolResponse | Promise<ProtocolResponse> {
  const started = performance.now();
  const url = req.url;
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  let res: MaybePromise<ProtocolResponse>;
  try {
    res = route(ctx, req, path, q === -1 ? '' : url.slice(q + 1));
  } catch (error) {
    res = failure(error);
  }
  if (isThenable<ProtocolResponse>(res)) {
    return Promise.resolve(res).then(
      (r) => observe(ctx, req, path, started, r),
      (error) => observe(ctx, req, path, started, failure(error)),
    );
  }
  return observe(ctx, req, path, started, res);
}

/**
 * `handle` for transports that write the answer themselves: calls `send(target, response)` once,
 * synchronously when nothing had to wait. Saves the node transport a promise hop on every async
 * request (a PUT waits for its body), and `target` spares a closure per request.
 */
export function respond<T>(
  ctx: Context,
  req: ProtocolRequest,
  target: T,
  send: (target: T, res: ProtocolResponse) => void,
): void {
  const started = performance.now();
  const url = req.url;
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  let res: MaybePromise<ProtocolResponse>;
  try {
    res = route(ctx, req, path, q === -1 ? '' : url.slice(q + 1));
  } catch (error) {
    res = failure(error);
  }
  if (isThenable<ProtocolResponse>(res)) {
    // A Later (memory-mode PUT) answers in the body's own event; a promise one microtask later.
    const onValue = (r: ProtocolResponse) => deliver(ctx, req, path, started, r, target, send);
    const onError = (error: unknown) =>
      deliver(ctx, req, path, started, failure(error), target, send);
    if (res instanceof Later) res.listen(onValue, onError);
    else res.then(onValue, onError);
    return;
  }
  send(target, observe(ctx, req, path, started, res));
}

function deliver<T>(
  ctx: Context,
  req: ProtocolRequest,
  path: string,
  started: number,
  res: ProtocolResponse,
  target: T,
  send: (target: T, res: ProtocolResponse) => void,
): void {
  let answer: ProtocolResponse;
  try {
    answer = observe(ctx, req, path, started, res);
  } catch {
    // Only a throwing `log` option gets here: drop the connection, never the process.
    answer = RESET;
  }
  send(target, answer);
}
