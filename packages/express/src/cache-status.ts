import type { ServerResponse } from 'node:http';

/**
 * One cache's member of the RFC 9211 `Cache-Status` list: whether it answered (`hit`), why it went
 * forward (`fwd`) and what the next hop answered (`fwd-status`), whether the response was
 * `stored`, whether the request waited for another one's response (`collapsed`), and the remaining
 * freshness in seconds (`ttl`, negative once stale).
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

/** `name; hit; ttl=42` and the like, parameters in RFC 9211's order. */
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
 * Adds this cache's member to `Cache-Status`. Caches closer to the origin come first (RFC 9211
 * §2), so a member already set by the application stays ahead of ours.
 */
export function setCacheStatus(
  res: ServerResponse,
  name: string | undefined,
  status: CacheStatus,
): void {
  if (!name || res.headersSent) return;
  const member = formatCacheStatus(name, status);
  const existing = res.getHeader('cache-status');
  const before = Array.isArray(existing) ? existing.join(', ') : existing;
  res.setHeader('cache-status', before ? `${before}, ${member}` : member);
}
