/**
 * How the server names its Redis keys, in one place. Every key that one operation touches carries
 * the same hash tag (the part in `{…}`), so on a Redis/Valkey Cluster they share a slot and a
 * multi-key command or a MULTI stays legal; everything else spreads over the slots.
 *
 * - a cache item: `momento-http:cache:{<cache>:<key bytes>}`. The tag is the item's identity, so
 *   items spread over the whole cluster. (Cache names cannot contain braces; a key holding a `}`
 *   only shortens its own tag, which Redis reads up to the first `}`.)
 * - the shared cache names: `momento-http:caches` (one key, its own slot).
 * - a topic's stream and its page/numbering hash: `momento-http:topic:{<cache>:<topic>}:stream` and
 *   `…:meta` (named in `topics/redis.ts`), so one Lua script may touch both on a Cluster.
 */

/** Start of every cache item key. */
const ITEM_PREFIX = 'momento-http:cache:';

/** The set of cache names every process sharing this Redis knows. */
export const CACHES_KEY = 'momento-http:caches';

const CLOSE = Buffer.from('}');

/** The bytes before a cache's item keys: `momento-http:cache:{<cache>:`. */
export const itemKeyStart = (cache: string): Buffer => Buffer.from(`${ITEM_PREFIX}{${cache}:`);

/** An item's Redis key, from its cache's `itemKeyStart` and the key's bytes. */
export function itemKey(start: Buffer, key: Buffer): Buffer {
  return Buffer.concat([start, key, CLOSE], start.length + key.length + 1);
}
