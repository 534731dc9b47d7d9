import { decodeEnvelope, EnvelopeError, encodeEnvelope } from '@momento-http/core';

/** One stored method result: the value the method returned, when, until when, and its tags. */
export interface MethodEntry {
  value: unknown;
  /** When the method started (epoch ms): tags invalidated after this make the entry stale. */
  storedAt: number;
  /** Exact expiry in ms (Momento rounds TTLs up to whole seconds). */
  expiresAt: number;
  tags: string[];
}

/** A different version from `HttpEntry`'s, so neither is ever read as the other. */
const ENTRY_VERSION = 101;

export function encodeMethodEntry(entry: MethodEntry): Promise<Uint8Array> {
  return encodeEnvelope([ENTRY_VERSION, entry.value, entry.storedAt, entry.expiresAt, entry.tags], {
    compressAboveBytes: 8192,
  });
}

/**
 * Decodes an entry. Damaged or foreign bytes reject with core's `EnvelopeError` (a reported miss,
 * never a wrong value).
 */
export async function decodeMethodEntry(bytes: Uint8Array): Promise<MethodEntry> {
  const decoded = await decodeEnvelope(bytes);
  if (!Array.isArray(decoded) || decoded[0] !== ENTRY_VERSION || decoded.length !== 5) {
    throw notAnEntry();
  }
  const [, value, storedAt, expiresAt, tags] = decoded;
  if (
    typeof storedAt !== 'number' ||
    typeof expiresAt !== 'number' ||
    !Array.isArray(tags) ||
    tags.some((tag) => typeof tag !== 'string')
  ) {
    throw notAnEntry();
  }
  return { value, storedAt, expiresAt, tags: tags as string[] };
}

const notAnEntry = () =>
  new EnvelopeError('MALFORMED', 'the value under this key is not a @Cacheable entry');
