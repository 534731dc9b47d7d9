/** Which handler answers which path (after a matching fault rule, when fault injection is on). */
import { handleCache } from './cache-api.js';
import { handleEcClusters, handleSeedClusters } from './cluster-api.js';
import { applyFault, handleFaults } from './faults-endpoint.js';
import { handleObject, withObjectStoreHeaders } from './object-api.js';
import type { MaybePromise } from './respond.js';
import type { Context } from './server-context.js';
import { handleStoreControl } from './store-control-api.js';
import { handleTopic } from './topics-api.js';
import { methodNotAllowed, type ProtocolRequest, type ProtocolResponse, text } from './types.js';

const NOT_FOUND = text(404, 'Not Found');
const HEALTHY = text(200, 'ok');

export function route(
  ctx: Context,
  req: ProtocolRequest,
  path: string,
  qs: string,
): MaybePromise<ProtocolResponse> {
  if (ctx.faults.active && path !== '/_faults') {
    const fault = ctx.faults.match(req.method, path);
    if (fault) return applyFault(ctx, req, path, qs, fault, dispatch);
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
  if (path.startsWith('/topics/')) {
    const limited = rateLimited(ctx);
    if (limited) return limited;
    const parts = path.slice(8).split('/');
    if (parts.length !== 2 || !parts[0] || !parts[1])
      return text(404, 'Not Found: use /topics/{cacheName}/{topicName}');
    return handleTopic(ctx, req, parts[0], parts[1], qs);
  }
  if (path === '/objectstore' || path.startsWith('/objectstore/')) {
    const rest = path.slice(13);
    const slash = rest.indexOf('/');
    const store = decodeSegment(slash === -1 ? rest : rest.slice(0, slash));
    if (store === undefined) return text(400, 'Malformed percent-encoding in the path');
    if (slash === -1) return handleStoreControl(ctx, req, store || undefined);
    const limited = rateLimited(ctx, true);
    // The refusal is a data-plane answer like any other: a browser app must be able to read it.
    if (limited) return withObjectStoreHeaders(limited);
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
      body: ctx.metrics.render(ctx.items.stats(), ctx.topics.waiting),
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
