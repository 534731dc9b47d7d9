/** Which requests a fault-proxy rule applies to, and what it does to them. */

/** What the proxy answers instead of (or from) the server's answer. */
export type ProxyFault =
  /** A 200 whose body is `body` (default: 72 fixed pseudo-random bytes); the server never sees the request. */
  | { kind: 'garbage'; body?: string | Uint8Array }
  /**
   * The server's answer cut to `keepBytes` (default: half, at least one byte less than the whole).
   * `contentLength: 'original'` keeps the full Content-Length and then closes the connection, so
   * the client sees a cut-off body; `'matching'` announces the cut length: a well-formed, short answer.
   */
  | { kind: 'truncate'; keepBytes?: number; contentLength: 'original' | 'matching' }
  /** The connection is reset before any answer; the server never sees the request. */
  | { kind: 'reset' }
  /** This status (and a short text body) instead of the server's answer; the server never sees the request. */
  | { kind: 'status'; status: number; body?: string };

/** Selects requests. Every given field must match. */
export interface RequestMatch {
  /** HTTP method, any case. */
  method?: string;
  /** Path prefix (string) or pattern (RegExp) on the path without the query. */
  path?: string | RegExp;
  /** The cache key as it travels (`key=` or `key_base64=`): its text, its bytes, or a pattern on its UTF-8 text. */
  key?: string | Uint8Array | RegExp;
}

export interface ProxyRule extends RequestMatch {
  /** Affect only this many requests, then retire. @default unlimited */
  count?: number;
  /** Hold the request this long before acting (or before forwarding it, with no `fault`). */
  delayMs?: number;
  fault?: ProxyFault;
}

/** A request as the proxy saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  /** The cache key's bytes, when the request names one. */
  key: Uint8Array | undefined;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The cache key a data-plane URL names: `key=<text>` (UTF-8) or `key_base64=<base64url>`. */
export function cacheKeyOf(query: URLSearchParams): Uint8Array | undefined {
  const text = query.get('key');
  if (text !== null) return encoder.encode(text);
  const encoded = query.get('key_base64');
  // Node's base64 decoder accepts both alphabets, padded or not.
  return encoded === null ? undefined : new Uint8Array(Buffer.from(encoded, 'base64'));
}

export function matches(match: RequestMatch, seen: SeenRequest): boolean {
  if (match.method !== undefined && match.method.toUpperCase() !== seen.method) return false;
  if (match.path !== undefined) {
    const { path } = match;
    if (typeof path === 'string' ? !seen.path.startsWith(path) : !path.test(seen.path)) {
      return false;
    }
  }
  if (match.key !== undefined) {
    if (seen.key === undefined) return false;
    if (match.key instanceof RegExp) return match.key.test(decoder.decode(seen.key));
    const want = typeof match.key === 'string' ? encoder.encode(match.key) : match.key;
    return Buffer.from(want).equals(seen.key);
  }
  return true;
}

/** Refuses a rule that would do nothing or cannot be carried out (a typo must not pass silently). */
export function checkRule(rule: ProxyRule): void {
  if (rule.fault === undefined && !rule.delayMs) {
    throw new TypeError('a proxy rule needs a fault or a delayMs');
  }
  if (rule.delayMs !== undefined && !(rule.delayMs >= 0)) {
    throw new TypeError(`delayMs must be >= 0, got ${rule.delayMs}`);
  }
  if (rule.count !== undefined && !(Number.isInteger(rule.count) && rule.count >= 1)) {
    throw new TypeError(`count must be a positive integer, got ${rule.count}`);
  }
  const { fault } = rule;
  if (fault?.kind === 'status' && !(Number.isInteger(fault.status) && fault.status >= 200)) {
    throw new TypeError(`status must be an HTTP status, got ${fault.status}`);
  }
  if (fault?.kind === 'truncate' && fault.keepBytes !== undefined && !(fault.keepBytes >= 0)) {
    throw new TypeError(`keepBytes must be >= 0, got ${fault.keepBytes}`);
  }
}

/** 72 bytes that are neither valid UTF-8 text, JSON, an envelope nor a manifest. */
export const GARBAGE: Uint8Array = Uint8Array.from(
  { length: 72 },
  (_, i) => (i * 151 + 0x85) & 0xff,
);
