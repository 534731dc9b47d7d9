import type { ServerResponse } from 'node:http';
import { appendCacheStatus, type CacheStatus, formatCacheStatus } from '@momento-http/core';

export type { CacheStatus };

/** Adds this cache's member to `Cache-Status` (core's format and order), before headers are sent. */
export function setCacheStatus(
  res: ServerResponse,
  name: string | undefined,
  status: CacheStatus,
): void {
  if (!name || res.headersSent) return;
  const member = formatCacheStatus(name, status);
  res.setHeader('cache-status', appendCacheStatus(res.getHeader('cache-status'), member));
}
