import type { StoredHeaders } from './types';

/** Targeted cache-control fields this cache obeys by default, most specific first (RFC 9213 §2.1). */
export const DEFAULT_TARGETED_FIELDS: readonly string[] = [
  'Momento-Cache-Control',
  'CDN-Cache-Control',
];

const KEY = /^[a-z*][a-z0-9_\-.*]*$/;
const BARE_ITEM = [
  /^-?\d{1,15}$/, // integer
  /^-?\d{1,12}\.\d{1,3}$/, // decimal
  /^"(?:[^"\\]|\\["\\])*"$/, // string
  /^[A-Za-z*][!#$%&'*+\-.^_`|~:/A-Za-z0-9]*$/, // token
  /^:[A-Za-z0-9+/=]*:$/, // byte sequence
  /^\?[01]$/, // boolean
];
const isBareItem = (text: string) => BARE_ITEM.some((form) => form.test(text));

/** Splits on commas outside quoted strings. */
function members(value: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (quoted && c === '\\') {
      current += c + (value[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      out.push(current);
      current = '';
    } else current += c;
  }
  out.push(current);
  return out;
}

/**
 * A targeted field's value (an RFC 8941 Dictionary) as Cache-Control text, or `undefined` when it
 * does not parse or is empty (the field is then ignored, RFC 9213 §2.1). Directives whose values are
 * not integers or booleans (`max-age="60"`) are dropped: the cache-control directives take tokens.
 */
export function targetedDirectives(value: string): string | undefined {
  const out: string[] = [];
  for (const raw of members(value)) {
    const member = raw.replace(/^[ \t]+|[ \t]+$/g, '');
    // Parameters (`;a=1`) carry nothing for cache directives; validate and drop them.
    const [head, ...params] = member.split(';');
    const eq = (head as string).indexOf('=');
    const key = eq === -1 ? (head as string) : (head as string).slice(0, eq);
    const item = eq === -1 ? undefined : (head as string).slice(eq + 1);
    if (!KEY.test(key)) return undefined;
    if (item !== undefined && !isBareItem(item)) return undefined;
    for (const param of params) {
      const [name, arg] = param.replace(/^ +/, '').split('=', 2);
      if (!KEY.test(name ?? '') || (arg !== undefined && !isBareItem(arg))) return undefined;
    }
    if (item === undefined || item === '?1') out.push(key);
    else if (/^\d+$/.test(item)) out.push(`${key}=${item}`);
  }
  return out.length ? out.join(', ') : undefined;
}

const one = (value: string | string[] | undefined) =>
  Array.isArray(value) ? value.join(', ') : value;

/**
 * RFC 9213 §2.1: the first field of `fields` (lower-case names) with a valid, non-empty value,
 * as Cache-Control text; `undefined` when none (Cache-Control and Expires then apply).
 */
export function selectTargeted(
  headers: StoredHeaders,
  fields: readonly string[],
): string | undefined {
  for (const name of fields) {
    const value = one(headers[name]);
    if (value === undefined) continue;
    const directives = targetedDirectives(value);
    if (directives !== undefined) return directives;
  }
  return undefined;
}
