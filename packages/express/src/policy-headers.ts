import { parseHttpDate } from './http-date';
import { selectTargeted } from './targeted';
import type { StoredHeaders } from './types';

/** An `Expires` that is not an HTTP-date means "already expired" (RFC 9111 §5.3). */
const EXPIRED = 'Thu, 01 Jan 1970 00:00:00 GMT';

const one = (value: string | string[] | undefined) =>
  Array.isArray(value) ? value.join(', ') : value;

/** Directive names are case-insensitive (RFC 9111 §5.2); `http-cache-semantics` compares them as sent. */
function lowerDirectiveNames(value: string): string {
  return value.replace(/(^|,)(\s*)([^=,\s]+)/g, (_m, sep, space, name: string) => {
    return `${sep}${space}${name.toLowerCase()}`;
  });
}

/**
 * RFC 9111 §5.1: Age is a non-negative integer; a list keeps its first member. Anything else
 * (`7200.0`, `abc`, `-1`) is ignored rather than read as far as it parses.
 */
function age(value: string): string | undefined {
  const first = value.split(',')[0]?.split(';')[0]?.trim() ?? '';
  return /^\d+$/.test(first) ? first : undefined;
}

/**
 * The response headers as `http-cache-semantics` should judge them: one string per name, and the
 * RFC's parsing rules applied where the library is lenient or strict in the wrong places:
 * a targeted field (RFC 9213, e.g. `CDN-Cache-Control`) replaces Cache-Control and Expires;
 * directive names are case-insensitive; an invalid `Expires` is in the past; a malformed `Age` is
 * ignored. The headers stored and sent are not changed.
 */
export function policyHeaders(
  headers: StoredHeaders,
  targetedFields: readonly string[] = [],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = one(value) as string;
  const targeted = selectTargeted(headers, targetedFields);
  if (targeted !== undefined) {
    out['cache-control'] = targeted;
    delete out.expires;
  } else if (out['cache-control'] !== undefined) {
    out['cache-control'] = lowerDirectiveNames(out['cache-control']);
  }
  if (out.expires !== undefined) {
    // Several Expires lines are invalid too (one HTTP-date, not a list).
    const list = headers.expires;
    const when = Array.isArray(list) && list.length > 1 ? undefined : parseHttpDate(out.expires);
    out.expires = when === undefined ? EXPIRED : new Date(when).toUTCString();
  }
  if (out.age !== undefined) {
    const seconds = age(out.age);
    if (seconds === undefined) delete out.age;
    else out.age = seconds;
  }
  return out;
}
