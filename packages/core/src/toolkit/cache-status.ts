/**
 * RFC 9211 `Cache-Status`: how one cache handled a request, as a member of a list each cache on
 * the path adds to. One implementation, so the Express middleware and Nest's interceptor say the
 * same thing the same way.
 */

/**
 * One cache's member: whether it answered (`hit`), why it went forward (`fwd`) and what the next
 * hop answered (`fwdStatus`), whether the response was `stored`, whether the request waited for
 * another one's response (`collapsed`), and the remaining freshness in seconds (`ttl`, negative
 * once stale).
 */
export interface CacheStatus {
  hit?: boolean;
  fwd?: 'bypass' | 'method' | 'uri-miss' | 'vary-miss' | 'miss' | 'request' | 'stale';
  fwdStatus?: number;
  stored?: boolean;
  collapsed?: boolean;
  ttl?: number;
  detail?: string;
}

/** A cache's name must be a structured-field token (RFC 8941 §3.3.4), e.g. `momento-http`. */
const TOKEN = /^[A-Za-z*][!#$%&'*+\-.^_`|~:/A-Za-z0-9]*$/;

/** Whether `name` may name a cache in `Cache-Status`. */
export function isCacheStatusName(name: string): boolean {
  return TOKEN.test(name);
}

/**
 * `name; hit; ttl=42` and the like, parameters in RFC 9211's order.
 *
 * @example formatCacheStatus('momento-http', { fwd: 'uri-miss', stored: true }) // 'momento-http; fwd=uri-miss; stored'
 */
export function formatCacheStatus(name: string, status: CacheStatus): string {
  let out = name;
  if (status.hit) out += '; hit';
  if (status.fwd) out += `; fwd=${status.fwd}`;
  if (status.fwdStatus !== undefined) out += `; fwd-status=${status.fwdStatus}`;
  if (status.stored) out += '; stored';
  if (status.collapsed) out += '; collapsed';
  if (status.ttl !== undefined) out += `; ttl=${Math.round(status.ttl)}`;
  if (status.detail) out += `; detail=${status.detail}`;
  return out;
}

/**
 * The field with `member` added. Caches closer to the origin come first (RFC 9211 §2), so a
 * member already set (by the application, or a cache behind this one) stays ahead of ours.
 */
export function appendCacheStatus(existing: unknown, member: string): string {
  const before = Array.isArray(existing) ? existing.join(', ') : existing;
  return typeof before === 'string' && before ? `${before}, ${member}` : member;
}
