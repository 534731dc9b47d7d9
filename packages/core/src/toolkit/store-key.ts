import { InvalidArgumentError } from '../client/errors';
import { sha256, toHex } from './sha256';

/**
 * Longest logical key, in UTF-8 bytes, stored as it is. Longer keys (a long URL, a GraphQL query)
 * are stored under their SHA-256: they would cost bandwidth on every call and could pass the
 * server's 4096-byte key limit once an adapter's prefix (namespace, generation) is added in front.
 * 1024 leaves room for any prefix and keeps nearly every real key readable.
 */
export const MAX_PLAIN_KEY_BYTES = 1024;

/** Starts every hashed key, and is doubled in front of a plain key that itself starts with it. */
const MARK = '\u0000';
const HASHED = `${MARK}#`;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const encoder = new TextEncoder();

/**
 * The key a logical key is stored under: the key itself while it is at most
 * {@link MAX_PLAIN_KEY_BYTES} UTF-8 bytes (so keys stay readable in the cache), else
 * `"\0#" + hex(SHA-256(key))`.
 *
 * One-to-one: a short key that starts with `"\0"` is stored as `"\0\0" + key`, so no plain key
 * ever looks like a hashed one. Synchronous and runtime-free (a JS SHA-256, a few microseconds,
 * paid only by long keys). Adapters put their own prefix in front of the result.
 *
 * @throws InvalidArgumentError for a long key with a lone surrogate (it has no UTF-8 form, so two
 * such keys could hash alike; short ones are refused by the client for the same reason).
 * @example storeKey('user:42') // 'user:42'
 * @example storeKey('q='.repeat(600)) // '\0#9f86…' (68 characters)
 */
export function storeKey(key: string): string {
  // At most three UTF-8 bytes per UTF-16 unit, so short strings skip the byte count.
  if (key.length * 3 <= MAX_PLAIN_KEY_BYTES || utf8Length(key) <= MAX_PLAIN_KEY_BYTES) {
    return key.startsWith(MARK) ? MARK + key : key;
  }
  if (LONE_SURROGATE.test(key)) {
    throw new InvalidArgumentError('Cache key contains a lone surrogate and has no UTF-8 form');
  }
  return HASHED + toHex(sha256(key));
}

/** True when `stored` (a result of {@link storeKey}) is a digest rather than the key itself. */
export function isHashedStoreKey(stored: string): boolean {
  return stored.startsWith(HASHED);
}

function utf8Length(text: string): number {
  return encoder.encode(text).byteLength;
}
