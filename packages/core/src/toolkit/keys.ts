import type { CacheKey } from '../contract';

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * An in-process identity for a cache key that matches the server's: the server sees a key as
 * bytes, so the string `"a"` and the bytes `[0x61]` must map to the same id.
 *
 * Well-formed strings are their own id (the fast path). Strings with lone surrogates are
 * normalised the way `TextEncoder` sends them. Byte keys that are valid UTF-8 decode to the same
 * id as the equivalent string; any other bytes get a latin1 id behind a lone surrogate, which no
 * string id can contain, so the two kinds never collide.
 */
export function keyId(key: CacheKey): string {
  if (typeof key === 'string') {
    return LONE_SURROGATE.test(key) ? strictDecoder.decode(encoder.encode(key)) : key;
  }
  try {
    return strictDecoder.decode(key);
  } catch {
    let id = '\uDC00';
    for (let i = 0; i < key.length; i += 4096) {
      id += String.fromCharCode(...key.subarray(i, i + 4096));
    }
    return id;
  }
}

/** The bytes the server sees for a key. */
export function keyBytes(key: CacheKey): Uint8Array {
  return typeof key === 'string' ? encoder.encode(key) : key;
}

/** Concatenates byte arrays into a new one. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.byteLength;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
