import { decodeEnvelope, encodeEnvelope } from '@momento-http/core';
import type { StoredRecord } from './types';

/** Schema version of stored records; a record of another version reads as a miss. */
const VERSION = 1;

/** Serializes a record with the core's envelope codec (bodies stay binary, no base64). */
export function encodeRecord(record: StoredRecord): Promise<Uint8Array> {
  return encodeEnvelope({ v: VERSION, ...record });
}

/** Reads a record back; anything unexpected (another writer, another version) is `undefined`. */
export async function decodeRecord(bytes: Uint8Array): Promise<StoredRecord | undefined> {
  const value = (await decodeEnvelope(bytes)) as Record<string, unknown> | null;
  if (!value || typeof value !== 'object' || value.v !== VERSION) return undefined;
  if (value.kind === 'vary') {
    if (!Array.isArray(value.fields) || typeof value.gen !== 'string') return undefined;
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
    return undefined;
  }
  return value as unknown as StoredRecord;
}
