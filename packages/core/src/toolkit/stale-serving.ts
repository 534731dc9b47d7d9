/**
 * RFC 5861 stale serving from a stored response's `Cache-Control`, shared by the HTTP response
 * caches: how long past its freshness an entry may be served while it is refreshed in the
 * background (`stale-while-revalidate`), or instead of an origin error (`stale-if-error`).
 */

/** `Cache-Control` directives, lower-case names; a directive without a value is `true`. */
export type CacheControlDirectives = Record<string, string | true>;

/** Parses a `Cache-Control` value (or several) into lower-case directives, quotes removed. */
export function parseCacheControl(
  value: string | readonly string[] | undefined,
): CacheControlDirectives {
  const out: CacheControlDirectives = {};
  if (!value) return out;
  const text = typeof value === 'string' ? value : value.join(',');
  for (const part of text.split(',')) {
    const [name, arg] = part.split('=', 2);
    const key = name?.trim().toLowerCase();
    if (key) out[key] = arg === undefined ? true : arg.trim().replace(/^"|"$/g, '');
  }
  return out;
}

/** Seconds past freshness an entry may be served stale (0: not at all). */
export interface StaleWindows {
  /** Served while a background refresh runs (`stale-while-revalidate`). */
  whileRevalidateSeconds: number;
  /** Served when the origin fails with a 5xx (`stale-if-error`). */
  ifErrorSeconds: number;
}

/** No stale serving at all. */
export const NO_STALE_WINDOWS: StaleWindows = Object.freeze({
  whileRevalidateSeconds: 0,
  ifErrorSeconds: 0,
});

const seconds = (value: string | true | undefined): number => {
  if (value === undefined || value === true) return 0;
  const n = Number.parseInt(value, 10);
  return Number.isFinite(n) && n > 0 ? n : 0;
};

/**
 * Whether a stored response's directives forbid serving it stale whatever else allows it:
 * `must-revalidate`, `proxy-revalidate` (a shared cache) and `no-cache` (RFC 9111 §5.2.2.2,
 * §5.2.2.8, §5.2.2.4).
 */
export function forbidsStale(cc: CacheControlDirectives): boolean {
  return Boolean(cc['must-revalidate'] || cc['proxy-revalidate'] || cc['no-cache']);
}

/**
 * The stale windows a stored response's `Cache-Control` grants; none when {@link forbidsStale}.
 */
export function staleWindows(cacheControl: string | readonly string[] | undefined): StaleWindows {
  const cc = parseCacheControl(cacheControl);
  if (forbidsStale(cc)) return NO_STALE_WINDOWS;
  const whileRevalidateSeconds = seconds(cc['stale-while-revalidate']);
  const ifErrorSeconds = seconds(cc['stale-if-error']);
  return whileRevalidateSeconds || ifErrorSeconds
    ? { whileRevalidateSeconds, ifErrorSeconds }
    : NO_STALE_WINDOWS;
}

/** How long past freshness an entry is worth keeping in the cache: its longest window, in ms. */
export function staleKeepMs(windows: StaleWindows): number {
  return Math.max(windows.whileRevalidateSeconds, windows.ifErrorSeconds) * 1000;
}

/** What a stored entry is good for, `stalenessMs` after its freshness ended (≤ 0: still fresh). */
export type StaleUse = 'fresh' | 'while-revalidate' | 'if-error' | 'expired';

/**
 * `'fresh'`; `'while-revalidate'` (serve it and refresh in the background); `'if-error'` (call the
 * origin, serve it if the origin fails: see {@link servesOnError}); or `'expired'`.
 */
export function staleUse(stalenessMs: number, windows: StaleWindows): StaleUse {
  if (stalenessMs <= 0) return 'fresh';
  if (stalenessMs < windows.whileRevalidateSeconds * 1000) return 'while-revalidate';
  if (stalenessMs <= windows.ifErrorSeconds * 1000) return 'if-error';
  return 'expired';
}

/** Origin failures `stale-if-error` covers (RFC 5861 §4): 500, 502, 503 and 504. */
const SERVER_ERRORS = new Set([500, 502, 503, 504]);

/** May the entry replace an origin answer of `status`, `stalenessMs` after its freshness ended? */
export function servesOnError(stalenessMs: number, windows: StaleWindows, status: number): boolean {
  return SERVER_ERRORS.has(status) && stalenessMs <= windows.ifErrorSeconds * 1000;
}
