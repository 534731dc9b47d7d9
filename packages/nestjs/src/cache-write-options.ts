/** The options of `MomentoCacheService.set` and `wrap` beyond a bare TTL. */
export interface CacheWriteOptions {
  /** TTL in ms. @default the module's `ttl` */
  ttl?: number;
  /** The value is a miss once one of these tags is purged. */
  tags?: readonly string[];
}

/**
 * A TTL in ms or `{ ttl, tags }`, as one shape. Tags that are not non-empty strings are the
 * caller's mistake: a TypeError, as `invalidateTags` throws for them.
 */
export function writeOptions(options: number | CacheWriteOptions | undefined): {
  ttl: number | undefined;
  tags: readonly string[];
} {
  if (options === undefined || typeof options === 'number') return { ttl: options, tags: [] };
  const tags = options.tags ?? [];
  if (!Array.isArray(tags) || tags.some((tag) => typeof tag !== 'string' || !tag)) {
    throw new TypeError('MomentoCacheService: tags must be an array of non-empty strings');
  }
  return { ttl: options.ttl, tags };
}
