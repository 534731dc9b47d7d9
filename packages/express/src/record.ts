import { decodeEnvelope, EnvelopeError, encodeEnvelope } from '@momento-http/core';
import type { StoredRecord } from './types';

/** Schema version of stored records; a record of another version is a reported miss. */
const VERSION = 1;

/** Serializes a record with the core's envelope codec (bodies stay binary, no base64; CRC-checked). */
export function encodeRecord(record: StoredRecord): Promise<Uint8Array> {
  return encodeEnvelope({ v: VERSION, ...record });
}

/**
 * Reads a record back. Bytes that are not one of our records (garbage, truncated, another
 * writer, another version) throw, so the read is a miss reported through `onError`.
 */
export async function decodeRecord(bytes: Uint8Array): Promise<StoredRecord> {
  const value = (await decodeEnvelope(bytes)) as Record<string, unknown> | null;
  if (!value || typeof value !== 'object' || value.v !== VERSION) throw foreign('version');
  if (value.kind === 'vary') {
    if (!Array.isArray(value.fields) || typeof value.gen !== 'string') throw foreign('vary spec');
    return value as unknown as StoredRecord;
  }
  if (
    value.kind !== 'entry' ||
    typeof value.status !== 'number' ||
    !(value.body instanceof Uint8Array) ||
    typeof value.policy !== 'object' ||
    typeof value.headers !== 'object' ||
    !Array.isArray(value.tags) ||
    typeof value.storedAt !== 'number'
  ) {
    throw foreign('entry');
  }
  return value as unknown as StoredRecord;
}

const foreign = (what: string) =>
  new EnvelopeError('MALFORMED', `not an Express cache record (unexpected ${what})`);
