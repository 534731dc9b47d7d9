import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { type FaultAction, FaultRuleError, parseFaultRule } from '../faults.js';
import { handleCache } from './cache-api.js';
import { handleEcClusters, handleSeedClusters } from './cluster-api.js';
import { type Context, requireSuperUser } from './context.js';
import { isThenable, Later } from './later.js';
import { handleObject } from './object-api.js';
import { handleStoreControl } from './store-control-api.js';
import {
  json,
  methodNotAllowed,
  NO_CONTENT,
  type ProtocolRequest,
  type ProtocolResponse,
  text,
} from './types.js';

const NOT_FOUND = text(404, 'Not Found');
const HEALTHY = text(200, 'ok');
const RESET: ProtocolResponse = Object.freeze({ status: 0, reset: true });

/** Names each request for metrics: a small fixed set, never user input. */
function opName(method: string, path: string): string {
  if (path.startsWith('/cache/')) {
    return method === 'GET'
      ? 'cache_get'
      : method === 'PUT'
        ? 'cache_set'
        : method === 'DELETE'
          ? 'cache_delete'
          : 'cache_other';
  }
  if (path.startsWith('/objectstore/') && path.indexOf('/', 13) !== -1) {
    return method === 'GET'
      ? 'object_get'
      : method === 'PUT'
        ? 'object_put'
        : method === 'DELETE'
          ? 'object_delete'
          : 'object_other';
  }
  if (path.startsWith('/objectstore')) return 'objectstore_control';
  if (path.startsWith('/cluster') || path.startsWith('/ec-cluster')) return 'cluster_control';
  return 'other';
}

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
      (r) => finish(ctx, req, path, started, r),
      (error) => finish(ctx, req, path, started, failure(error)),
    );
  }
  return finish(ctx, req, path, started, res);
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
  send(target, finish(ctx, req, path, started, res));
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
    answer = finish(ctx, req, path, started, res);
  } catch {
    // Only a throwing `log` option gets here: drop the connection, never the process.
    answer = RESET;
  }
  send(target, answer);
}

function finish(
  ctx: Context,
  req: ProtocolRequest,
  path: string,
  started: number,
  res: ProtocolResponse,
): ProtocolResponse {
  const seconds = (performance.now() - started) / 1000;
  ctx.metrics.record(opName(req.method, path), res.status, seconds);
  // Path only: the query may carry a token or a key.
  ctx.options.log?.(
    `${new Date().toISOString()} ${req.method} ${path.length > 200 ? `${path.slice(0, 200)}…` : path} ${res.reset ? 'reset' : res.status} ${(seconds * 1000).toFixed(1)}ms`,
  );
  return res;
}

function route(
  ctx: Context,
  req: ProtocolRequest,
  path: string,
  qs: string,
): MaybePromise<ProtocolResponse> {
  if (ctx.faults.active && path !== '/_faults') {
    const fault = ctx.faults.match(req.method, path);
    if (fault) return applyFault(ctx, req, path, qs, fault);
  }
  return dispatch(ctx, req, path, qs);
}

async function applyFault(
  ctx: Context,
  req: ProtocolRequest,
  path: string,
  qs: string,
  fault: FaultAction,
): Promise<ProtocolResponse> {
  if (fault.delayMs > 0) {
    // On shutdown the delay ends early and the request is dropped like a reset.
    const aborted = await sleep(fault.delayMs, false, { signal: ctx.shutdown.signal }).catch(
      () => true,
    );
    if (aborted) return RESET;
  }
  if (fault.reset) return RESET;
  if (fault.status !== undefined) {
    return text(
      fault.status,
      `Injected fault: ${fault.status}`,
      fault.status === 429 ? { 'retry-after': '1' } : undefined,
    );
  }
  return dispatch(ctx, req, path, qs);
}

function dispatch(
  ctx: Context,
  req: ProtocolRequest,
  path: string,
  qs: string,
): MaybePromise<ProtocolResponse> {
  if (path.startsWith('/cache/')) {
    const limited = rateLimited(ctx);
    if (limited) return limited;
    const cache = path.slice(7);
    if (cache.length === 0 || cache.indexOf('/') !== -1)
      return text(404, 'Not Found: use /cache/{cacheName}');
    return handleCache(ctx, req, cache, qs);
  }
  if (path === '/objectstore' || path.startsWith('/objectstore/')) {
    const rest = path.slice(13);
    const slash = rest.indexOf('/');
    const store = decodeSegment(slash === -1 ? rest : rest.slice(0, slash));
    if (store === undefined) return text(400, 'Malformed percent-encoding in the path');
    if (slash === -1) return handleStoreControl(ctx, req, store || undefined);
    const limited = rateLimited(ctx, true);
    if (limited) return limited;
    const key = decodeSegment(rest.slice(slash + 1));
    if (key === undefined) return text(400, 'Malformed percent-encoding in the path');
    return handleObject(ctx, req, store, key, qs);
  }
  if (path === '/cluster' || path.startsWith('/cluster/')) {
    const rest = path.slice(9);
    if (rest.indexOf('/') !== -1) return NOT_FOUND;
    const name = decodeSegment(rest);
    if (name === undefined) return text(400, 'Malformed percent-encoding in the path');
    return handleSeedClusters(ctx, req, name || undefined);
  }
  if (path === '/ec-cluster' || path.startsWith('/ec-cluster/')) {
    const parts = path.slice(12).split('/');
    if (parts.length > 2) return NOT_FOUND;
    const name = decodeSegment(parts[0] ?? '');
    const action = parts[1];
    if (name === undefined) return text(400, 'Malformed percent-encoding in the path');
    return handleEcClusters(ctx, req, name || undefined, action);
  }
  if (path === '/healthz')
    return req.method === 'GET' || req.method === 'HEAD' ? HEALTHY : methodNotAllowed('GET, HEAD');
  if (path === '/metrics') {
    if (req.method !== 'GET') return methodNotAllowed('GET');
    return {
      status: 200,
      headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
      body: ctx.metrics.render(ctx.items.stats()),
    };
  }
  if (path === '/_faults' && ctx.options.faults) return handleFaults(ctx, req);
  return NOT_FOUND;
}

function decodeSegment(segment: string): string | undefined {
  if (segment.indexOf('%') === -1) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function rateLimited(ctx: Context, json = false): ProtocolResponse | undefined {
  if (ctx.rate === undefined) return undefined;
  const wait = ctx.rate.take();
  if (wait === 0) return undefined;
  const headers = { 'retry-after': String(wait) };
  return json
    ? {
        status: 429,
        headers: { 'content-type': 'application/json', ...headers },
        body: '{"message":"Request rate exceeded."}',
      }
    : text(429, 'Request rate limit exceeded', headers);
}

/** `POST /_faults` (JSON rule; `path` may be `{"regex": "..."}`), `DELETE /_faults`. Super-user only. */
async function handleFaults(ctx: Context, req: ProtocolRequest): Promise<ProtocolResponse> {
  if (req.method !== 'POST' && req.method !== 'DELETE') return methodNotAllowed('POST, DELETE');
  const denied = requireSuperUser(ctx, req);
  if (denied) return denied;
  if (req.method === 'DELETE') {
    ctx.faults.clear();
    return NO_CONTENT;
  }
  const body = await req.readBody(16 * 1024);
  if (body === undefined) return { ...text(413, 'Fault rule too large'), bodyUnread: true };
  try {
    const raw = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    const path = raw?.path as { regex?: unknown } | undefined;
    if (path && typeof path === 'object' && typeof path.regex === 'string') {
      raw.path = new RegExp(path.regex);
    }
    const rule = parseFaultRule(raw);
    ctx.faults.add(rule);
    return json(201, {
      ...rule,
      path: rule.path instanceof RegExp ? { regex: rule.path.source } : rule.path,
    });
  } catch (error) {
    return text(
      400,
      `Invalid fault rule: ${error instanceof FaultRuleError ? error.message : 'not JSON'}`,
    );
  }
}
