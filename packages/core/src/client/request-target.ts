/**
 * Splits a request URL into the origin and the path + query a dispatcher wants, without a `URL`
 * object per request when the URL is already in canonical form (every URL this client builds is:
 * names and keys are percent-encoded or base64url before they go in).
 */

import { BoundedMap } from '../toolkit/bounded-map';

/** Request targets that a WHATWG URL parser would leave exactly as they are. */
const CANONICAL_TARGET = /^\/[A-Za-z0-9\-._~%!$&'()*+,;=:@/?]*$/;
/** `.` / `..` path segments (also percent-encoded): URL parsing would collapse them. */
const DOT_SEGMENT = /\/(?:\.|%2e){1,2}(?:[/?]|$)/i;
/** Characters that end the authority before the first `/` (then the split point is elsewhere). */
const AUTHORITY_END = /[?#\\]/;
/** Origins seen so far, normalised (`HTTP://Host:80` → `http://host`). Few per process. */
const MAX_ORIGINS = 64;
const origins = new BoundedMap<string, string>(MAX_ORIGINS);

export interface RequestTarget {
  /** `scheme://host[:port]`, normalised. */
  origin: string;
  /** Path and query, starting with `/`. */
  path: string;
}

/** The origin and path of an absolute http(s) URL; throws a `TypeError` for anything else. */
export function requestTarget(url: string): RequestTarget {
  const scheme = url.indexOf('://');
  const slash = scheme === -1 ? -1 : url.indexOf('/', scheme + 3);
  if (slash !== -1) {
    const raw = url.slice(0, slash);
    const path = url.slice(slash);
    const question = path.indexOf('?');
    if (
      !AUTHORITY_END.test(raw) &&
      CANONICAL_TARGET.test(path) &&
      // An empty query (`…?`) is dropped by URL parsing.
      question !== path.length - 1 &&
      !DOT_SEGMENT.test(question === -1 ? path : path.slice(0, question + 1))
    ) {
      let origin = origins.get(raw);
      if (origin === undefined) {
        origin = parsed(raw).origin;
        origins.set(raw, origin);
      }
      return { origin, path };
    }
  }
  const full = parsed(url);
  return { origin: full.origin, path: `${full.pathname}${full.search}` };
}

function parsed(url: string): URL {
  const parsedUrl = new URL(url);
  if (parsedUrl.protocol !== 'http:' && parsedUrl.protocol !== 'https:') {
    throw new TypeError(`Only http and https URLs are supported, got ${parsedUrl.protocol}`);
  }
  return parsedUrl;
}
