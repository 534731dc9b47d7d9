/** Query parameters the protocol reads; everything else is ignored (clients send extras). */
export interface Query {
  key?: string;
  key_base64?: string;
  ttl_seconds?: string;
  token?: string;
  /** Topics subscribe: the next sequence number the subscriber expects, and its page. */
  sequence_number?: string;
  sequence_page?: string;
  /**
   * Parameters that were repeated or badly percent-encoded, with the reason. Reported only when
   * the parameter is used, so checks keep their documented order (the cache before the key).
   */
  errors?: Record<string, string>;
}

const KNOWN = new Set([
  'key',
  'key_base64',
  'ttl_seconds',
  'token',
  'sequence_number',
  'sequence_page',
]);

/** Decodes one `application/x-www-form-urlencoded` component (`+` is a space); undefined if malformed. */
function decode(part: string): string | undefined {
  if (part.indexOf('%') === -1 && part.indexOf('+') === -1) return part;
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/**
 * Parses only the parameters the protocol knows, by hand: cheaper than URLSearchParams on the hot
 * path, and a repeated known parameter is refused (see `errors`) instead of silently picking one.
 */
export function parseQuery(qs: string): Query {
  const query: Query = {};
  if (qs.length === 0) return query;
  let start = 0;
  while (start <= qs.length) {
    let end = qs.indexOf('&', start);
    if (end === -1) end = qs.length;
    if (end > start) {
      const eq = qs.indexOf('=', start);
      const hasValue = eq !== -1 && eq < end;
      const name = decode(qs.slice(start, hasValue ? eq : end));
      if (name !== undefined && KNOWN.has(name)) {
        const value = hasValue ? decode(qs.slice(eq + 1, end)) : '';
        const fields = query as Record<string, string>;
        const problem =
          fields[name] !== undefined
            ? `Query parameter '${name}' given more than once`
            : value === undefined
              ? `Malformed percent-encoding in query parameter '${name}'`
              : undefined;
        if (problem !== undefined) query.errors = { ...query.errors, [name]: problem };
        fields[name] = value ?? '';
      }
    }
    start = end + 1;
  }
  return query;
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * Decodes `key_base64`: base64url or standard base64, padded or not. A space is a `+` that a
 * form-encoder turned into a space (never valid base64, so the repair is unambiguous).
 */
export function decodeBase64Key(value: string): Buffer | undefined {
  const input = value.indexOf(' ') === -1 ? value : value.replace(/ /g, '+');
  if (!BASE64.test(input)) return undefined;
  const bare = input.replace(/=+$/, '');
  if (bare.length % 4 === 1) return undefined;
  if (bare.length !== input.length && input.length % 4 !== 0) return undefined;
  return Buffer.from(bare, 'base64');
}

const TTL = /^[0-9]{1,10}$/;

/** `ttl_seconds` as an integer in 1..max, or undefined when it is not one. */
export function parseTtl(value: string, max: number): number | undefined {
  if (!TTL.test(value)) return undefined;
  const ttl = Number(value);
  return ttl >= 1 && ttl <= max ? ttl : undefined;
}
