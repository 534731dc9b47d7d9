/**
 * How keys, names and values go on the wire. Web standards only.
 */
import type { CacheKey, CacheValue } from '../contract';
import { InvalidArgumentError } from './errors';

const encoder = new TextEncoder();
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** RFC 3986 unreserved characters: such a key travels as `key=` without any escaping. */
const URL_SAFE = /^[A-Za-z0-9._~-]+$/;
/** Longest cache or store name we send; Momento documents none, the local server uses 255. */
export const MAX_NAME_LENGTH = 255;

/** Unpadded base64url of bytes (RFC 4648 §5), as `key_base64=` expects. */
export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64URL[n >> 18]! + B64URL[(n >> 12) & 63]! + B64URL[(n >> 6) & 63]! + B64URL[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += B64URL[n >> 18]! + B64URL[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += B64URL[n >> 18]! + B64URL[(n >> 12) & 63]! + B64URL[(n >> 6) & 63]!;
  }
  return out;
}

/** Decodes base64 or base64url, padded or not. Throws on anything else. */
export function fromBase64(text: string): Uint8Array {
  const std = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(std + '='.repeat((4 - (std.length % 4)) % 4));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/**
 * The query string naming one cache key: URL-safe strings as `key=`, any other string (as
 * UTF-8) and any bytes as unpadded base64url `key_base64=`.
 */
export function keyQuery(key: CacheKey): string {
  if (typeof key === 'string') {
    if (URL_SAFE.test(key)) return `key=${key}`;
    if (key.length === 0) throw new InvalidArgumentError('Cache key must not be empty');
    return `key_base64=${toBase64Url(utf8(key, 'Cache key'))}`;
  }
  if (!(key instanceof Uint8Array)) {
    throw new InvalidArgumentError('Cache key must be a string or a Uint8Array');
  }
  if (key.length === 0) throw new InvalidArgumentError('Cache key must not be empty');
  return `key_base64=${toBase64Url(key)}`;
}

/** How many bytes a key counts for the item limit (strings as UTF-8; `keyQuery` validated it). */
export function keyByteLength(key: CacheKey): number {
  if (typeof key !== 'string') return key.length;
  // ASCII is one byte a character; only other strings pay for an encode.
  return URL_SAFE.test(key) ? key.length : encoder.encode(key).length;
}

/** The request body for a value: strings as UTF-8, bytes as they are. */
export function valueBytes(value: CacheValue): Uint8Array {
  if (typeof value === 'string') return encoder.encode(value);
  if (value instanceof Uint8Array) return value;
  throw new InvalidArgumentError('Cache value must be a string or a Uint8Array');
}

/** Encodes a string as UTF-8, refusing lone surrogates (they would collide as U+FFFD). */
export function utf8(text: string, what: string): Uint8Array {
  const wellFormed = (text as { isWellFormed?: () => boolean }).isWellFormed;
  if (wellFormed && !wellFormed.call(text)) {
    throw new InvalidArgumentError(`${what} contains a lone surrogate and has no UTF-8 form`);
  }
  return encoder.encode(text);
}

/** Validates a cache, store or cluster name and returns it encoded as one path segment. */
export function namePath(name: string, what = 'Cache name'): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new InvalidArgumentError(`${what} must be a non-empty string`);
  }
  if (name.length > MAX_NAME_LENGTH) {
    throw new InvalidArgumentError(`${what} is longer than ${MAX_NAME_LENGTH} characters`);
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(name) || name.trim() !== name) {
    throw new InvalidArgumentError(
      `${what} must not contain control characters or surrounding spaces`,
    );
  }
  if (name === '.' || name === '..')
    throw new InvalidArgumentError(`${what} must not be "${name}"`);
  utf8(name, what);
  return encodeURIComponent(name);
}

/** An object key as path segments: `/` separates segments and is kept, each segment escaped. */
export function objectKeyPath(key: string): string {
  if (typeof key !== 'string' || key.length === 0) {
    throw new InvalidArgumentError('Object key must be a non-empty string');
  }
  utf8(key, 'Object key');
  return key
    .split('/')
    .map((segment) => {
      // `.` and `..` segments would be collapsed by URL normalisation on the way.
      if (segment === '.' || segment === '..') {
        throw new InvalidArgumentError('Object key must not contain "." or ".." segments');
      }
      return encodeURIComponent(segment);
    })
    .join('/');
}
