import { decodeEnvelope, EnvelopeError, encodeEnvelope } from '@momento-http/core';

/** One stored response: what the handler returned plus the status and headers it left behind. */
export interface HttpEntry {
  status: number;
  headers: Record<string, string | string[]>;
  /** The handler's return value, replayed through the platform so it serializes it as the first time. */
  value: unknown;
  /** When the handler started (epoch ms): tags invalidated after this make the entry stale. */
  storedAt: number;
  /** Exact expiry in ms (Momento rounds TTLs up to whole seconds). */
  expiresAt: number;
  tags: string[];
}

const ENTRY_VERSION = 1;

/**
 * Headers never stored: per-client or per-connection ones, and ours (re-computed on a hit).
 * `set-cookie` above all, so one user's session is never replayed to another.
 */
const UNSTORED_HEADERS = new Set([
  'set-cookie',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'proxy-authenticate',
  'proxy-connection',
  'trailer',
  'te',
  'date',
  'content-length',
  'age',
  'x-cache',
  // How this request was handled (a miss, when stored): a hit says so afresh.
  'cache-status',
]);

/** The headers worth storing, as plain strings (numbers become strings). */
export function storableHeaders(
  headers: Record<string, unknown>,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (UNSTORED_HEADERS.has(lower) || value === undefined || value === null) continue;
    out[lower] = Array.isArray(value) ? value.map(String) : String(value);
  }
  return out;
}

/** True when the response asks shared caches not to store it (RFC 9111 §3). */
export function forbidsStoring(headers: Record<string, string | string[]>): boolean {
  const cacheControl = headers['cache-control'];
  const text = (
    Array.isArray(cacheControl) ? cacheControl.join(',') : (cacheControl ?? '')
  ).toLowerCase();
  if (/(^|[\s,])(no-store|private)([\s,=]|$)/.test(text)) return true;
  const vary = headers.vary;
  return (Array.isArray(vary) ? vary.join(',') : (vary ?? ''))
    .split(',')
    .some((v) => v.trim() === '*');
}

export function encodeEntry(entry: HttpEntry): Promise<Uint8Array> {
  return encodeEnvelope(
    [
      ENTRY_VERSION,
      entry.status,
      entry.headers,
      entry.value,
      entry.storedAt,
      entry.expiresAt,
      entry.tags,
    ],
    { compressAboveBytes: 8192 },
  );
}

/**
 * Decodes an entry. Bytes that are not an intact envelope reject with core's `EnvelopeError`
 * (checksum, truncation, foreign bytes); an envelope that is not one of our entries (another
 * version, someone else's value under our key) rejects with `EnvelopeError` `MALFORMED`: either
 * way the read is a reported miss, never a wrong response.
 */
export async function decodeEntry(bytes: Uint8Array): Promise<HttpEntry> {
  const decoded = await decodeEnvelope(bytes);
  if (!Array.isArray(decoded) || decoded[0] !== ENTRY_VERSION || decoded.length !== 7) {
    throw notAnEntry();
  }
  const [, status, headers, value, storedAt, expiresAt, tags] = decoded;
  if (
    typeof status !== 'number' ||
    typeof storedAt !== 'number' ||
    typeof expiresAt !== 'number' ||
    typeof headers !== 'object' ||
    headers === null ||
    !Array.isArray(tags) ||
    tags.some((tag) => typeof tag !== 'string')
  ) {
    throw notAnEntry();
  }
  return {
    status,
    headers: headers as Record<string, string | string[]>,
    value,
    storedAt,
    expiresAt,
    tags: tags as string[],
  };
}

const notAnEntry = () =>
  new EnvelopeError('MALFORMED', 'the value under this key is not an HttpCacheInterceptor entry');
