/**
 * Momento limits a key to 4 KB, and the store adds `<namespace>|<generation>|` in front. Keyv keys
 * can be anything (a URL, a GraphQL query), so keys longer than {@link MAX_PLAIN_KEY_BYTES} are
 * stored under their SHA-256 instead of failing with a 400.
 *
 * The mapping stays one-to-one: hashed keys are `\0#<hex>`, and the rare short key that itself
 * starts with `\0` is stored as `\0\0<key>`, so no plain key can collide with a hashed one.
 */

/** Longest key (UTF-8 bytes) stored as it is. */
export const MAX_PLAIN_KEY_BYTES = 1024;

const encoder = new TextEncoder();
const ESCAPE = '\u0000';

/** The key as stored: itself, escaped, or hashed (async only when hashed). */
export function storageKey(key: string): string | Promise<string> {
  // Three UTF-8 bytes per UTF-16 unit at most, so short strings skip the byte count.
  if (
    key.length * 3 <= MAX_PLAIN_KEY_BYTES ||
    encoder.encode(key).byteLength <= MAX_PLAIN_KEY_BYTES
  ) {
    return key.startsWith(ESCAPE) ? ESCAPE + key : key;
  }
  return hashed(key);
}

async function hashed(key: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(key)));
  return `${ESCAPE}#${Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
