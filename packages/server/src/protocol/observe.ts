/** What every request leaves behind: a metrics sample under a fixed name, and one log line. */
import { performance } from 'node:perf_hooks';
import type { Context } from './server-context.js';
import type { ProtocolRequest, ProtocolResponse } from './types.js';

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
  if (path.startsWith('/topics/')) {
    return method === 'POST'
      ? 'topic_publish'
      : method === 'GET'
        ? 'topic_subscribe'
        : 'topic_other';
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

/** Records the request (metrics, log) and passes the response through. */
export function observe(
  ctx: Context,
  req: ProtocolRequest,
  path: string,
  started: number,
  res: ProtocolResponse,
): ProtocolResponse {
  const seconds = (performance.now() - started) / 1000;
  const op = opName(req.method, path);
  // A long poll's duration is how long nothing was published: kept out of the latency histogram.
  ctx.metrics.record(op, res.status, seconds, op !== 'topic_subscribe');
  // Path only: the query may carry a token or a key.
  ctx.options.log?.(
    `${new Date().toISOString()} ${req.method} ${path.length > 200 ? `${path.slice(0, 200)}…` : path} ${res.reset ? 'reset' : res.status} ${(seconds * 1000).toFixed(1)}ms`,
  );
  return res;
}
