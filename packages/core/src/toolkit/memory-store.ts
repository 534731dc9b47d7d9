import { BadRequestError, InvalidArgumentError, ItemTooLargeError } from '../client/errors';
import type { CacheKey, CacheStore, CacheValue, CallOptions, SetOptions } from '../contract';
import { DEFAULT_MAX_ITEM_BYTES, DEFAULT_MAX_TTL_SECONDS, MAX_KEY_BYTES } from './limits';
import { checkWholeNumber } from './option-checks';

/** Options for {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** Largest accepted `ttlSeconds`; larger values are rejected like the server's 400. @default 86400 */
  maxTtlSeconds?: number;
  /** TTL used when a `set` passes no `ttlSeconds` (the client's default plays this role), capped to `maxTtlSeconds`. @default 60 */
  defaultTtlSeconds?: number;
  /** Largest key + value size in bytes (Momento's item limit). @default 5_000_000 (DEFAULT_MAX_ITEM_BYTES) */
  maxItemBytes?: number;
  /** Clock in epoch ms, injectable so TTL tests need no sleeping. @default Date.now */
  now?: () => number;
}

/** An in-memory {@link CacheStore} with a few inspection helpers for tests. */
export interface MemoryStore extends CacheStore {
  /** Number of live (unexpired) items. */
  readonly size: number;
  /** Live keys as bytes (string keys come back UTF-8 encoded), in insertion order. */
  keys(): Uint8Array[];
}

const DEFAULT_TTL_SECONDS = 60;

const encoder = new TextEncoder();

/**
 * An in-memory fake of one Momento cache, for unit tests and local experiments. It behaves like
 * the server, not like a JS map: string keys and values are stored as their UTF-8 bytes (so the
 * string key `"a"` and the bytes `[0x61]` are the same key), value bytes are copied in and out
 * (mutating a returned array changes nothing), TTLs are whole seconds in `1..maxTtlSeconds`, and a
 * miss is `undefined`.
 *
 * Rejections use the client's error classes for the same input: `InvalidArgumentError` for an
 * empty key, a string key with a lone surrogate or a TTL that is not a whole number ≥ 1 (the
 * client refuses those before sending), `BadRequestError` for a key over 4096 bytes or a TTL over
 * the maximum (the server's 400), `ItemTooLargeError` for key + value over `maxItemBytes` (413).
 * An aborted `signal` rejects with its reason.
 *
 * @example
 * const store = createMemoryStore();
 * await store.set('greeting', 'hello', { ttlSeconds: 30 });
 * new TextDecoder().decode(await store.get('greeting')); // 'hello'
 */
export function createMemoryStore(
  cacheName = 'default-cache',
  options: MemoryStoreOptions = {},
): MemoryStore {
  const maxTtlSeconds = checkWholeNumber(
    'maxTtlSeconds',
    options.maxTtlSeconds ?? DEFAULT_MAX_TTL_SECONDS,
    1,
    'seconds',
  );
  const defaultTtlSeconds = Math.min(
    checkWholeNumber(
      'defaultTtlSeconds',
      options.defaultTtlSeconds ?? DEFAULT_TTL_SECONDS,
      1,
      'seconds',
    ),
    maxTtlSeconds,
  );
  const maxItemBytes = checkWholeNumber(
    'maxItemBytes',
    options.maxItemBytes ?? DEFAULT_MAX_ITEM_BYTES,
    1,
    'bytes',
  );
  const now = options.now ?? Date.now;
  const items = new Map<string, { value: Uint8Array; expiresAt: number }>();

  const live = (id: string) => {
    const item = items.get(id);
    if (item && item.expiresAt <= now()) {
      items.delete(id);
      return undefined;
    }
    return item;
  };
  const sweep = () => {
    const t = now();
    for (const [id, item] of items) if (item.expiresAt <= t) items.delete(id);
  };
  let writesSinceSweep = 0;

  return {
    cacheName,
    async get(key: CacheKey, opts?: CallOptions) {
      opts?.signal?.throwIfAborted();
      const item = live(keyId(toKeyBytes(key)));
      return item ? item.value.slice() : undefined;
    },
    async set(key: CacheKey, value: CacheValue, opts?: SetOptions) {
      opts?.signal?.throwIfAborted();
      const keyBytes = toKeyBytes(key);
      const ttl = opts?.ttlSeconds ?? defaultTtlSeconds;
      if (!Number.isSafeInteger(ttl) || ttl < 1) {
        throw new InvalidArgumentError(`ttlSeconds must be an integer of at least 1, got ${ttl}`);
      }
      if (ttl > maxTtlSeconds) {
        throw new BadRequestError(`ttlSeconds must be at most ${maxTtlSeconds}, got ${ttl}`);
      }
      // `new Uint8Array(view)` copies (Buffer#slice would not).
      const bytes = typeof value === 'string' ? encoder.encode(value) : new Uint8Array(value);
      if (keyBytes.byteLength + bytes.byteLength > maxItemBytes) {
        throw new ItemTooLargeError(
          `item too large: key + value is ${keyBytes.byteLength + bytes.byteLength} bytes, limit ${maxItemBytes}`,
        );
      }
      const id = keyId(keyBytes);
      items.delete(id); // re-insert so keys() reflects write order
      items.set(id, { value: bytes, expiresAt: now() + ttl * 1000 });
      if (++writesSinceSweep >= 1024) {
        writesSinceSweep = 0;
        sweep();
      }
    },
    async delete(key: CacheKey, opts?: CallOptions) {
      opts?.signal?.throwIfAborted();
      items.delete(keyId(toKeyBytes(key)));
    },
    get size() {
      sweep();
      return items.size;
    },
    keys() {
      sweep();
      return Array.from(items.keys(), (id) => Uint8Array.from(id, (c) => c.charCodeAt(0)));
    },
  };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function toKeyBytes(key: CacheKey): Uint8Array {
  if (typeof key === 'string' && LONE_SURROGATE.test(key)) {
    throw new InvalidArgumentError('Cache key contains a lone surrogate and has no UTF-8 form');
  }
  const bytes = typeof key === 'string' ? encoder.encode(key) : key;
  if (bytes.byteLength === 0) throw new InvalidArgumentError('Cache key must not be empty');
  if (bytes.byteLength > MAX_KEY_BYTES) {
    throw new BadRequestError(`key is ${bytes.byteLength} bytes, limit ${MAX_KEY_BYTES}`);
  }
  return bytes;
}

/** One char per byte: a compact, collision-free map key for a byte string. */
function keyId(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes); // keys are at most 4096 bytes, so the spread is safe
}
