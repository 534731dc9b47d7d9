import { decodeEnvelope, encodeEnvelope } from '@momento-http/core';

/**
 * One Keyv value as stored: a core envelope (CRC-32C over every byte) holding Keyv's serialized
 * string and its absolute deadline. The deadline makes expiry exact to the millisecond (Momento
 * expires items in whole seconds, and Keyv 5 trusts `store.has()` without looking at its own
 * envelope); the checksum makes a truncated, altered or foreign value a reported miss instead of a
 * string that reaches Keyv's JSON parser.
 */
export interface StoredRecord {
  value: string;
  /** Epoch ms after which the value is gone; `undefined` = until the server drops it. */
  deadline: number | undefined;
  /** The tags it was written with (`setWithTags`); absent on untagged records. */
  tags?: readonly string[];
  /** When a tagged record was written (epoch ms): a tag purged at or after it expires it. */
  createdAt?: number;
}

/**
 * Encodes a value and its deadline, and its tags and creation time when it has tags. Untagged
 * records keep the two-element form, so they read exactly as before.
 */
export function encodeRecord(
  value: string,
  deadline: number | undefined,
  tagged?: { tags: readonly string[]; createdAt: number },
): Promise<Uint8Array> {
  return encodeEnvelope(
    tagged ? [value, deadline, tagged.tags, tagged.createdAt] : [value, deadline],
  );
}

/**
 * Decodes a record; `undefined` when the bytes are not one (corrupt, truncated or foreign).
 * {@link readRecord} says why instead.
 */
export async function decodeRecord(bytes: Uint8Array): Promise<StoredRecord | undefined> {
  try {
    return await readRecord(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Decodes a record.
 * @throws EnvelopeError (truncated, altered, not an envelope) or CorruptRecordError (an envelope
 * that does not hold a record).
 */
export async function readRecord(bytes: Uint8Array): Promise<StoredRecord> {
  const decoded = await decodeEnvelope(bytes);
  if (
    !Array.isArray(decoded) ||
    (decoded.length !== 2 && !isTagged(decoded)) ||
    typeof decoded[0] !== 'string' ||
    (decoded[1] !== undefined && !Number.isFinite(decoded[1]))
  ) {
    throw new CorruptRecordError('(unknown)', 'an envelope that holds no KeyvMomento record');
  }
  const record: StoredRecord = { value: decoded[0], deadline: decoded[1] as number | undefined };
  if (decoded.length === 4) {
    record.tags = decoded[2] as string[];
    record.createdAt = decoded[3] as number;
  }
  return record;
}

/** The tagged form: `[value, deadline, tags (strings), createdAt (epoch ms)]`. */
function isTagged(decoded: unknown[]): boolean {
  return (
    decoded.length === 4 &&
    Array.isArray(decoded[2]) &&
    decoded[2].every((tag) => typeof tag === 'string') &&
    Number.isFinite(decoded[3])
  );
}

/**
 * Checks what Keyv hands to `set`: a string (Keyv's serialized form) and a TTL in ms, if any.
 * @throws TypeError naming the key and what was wrong.
 */
export function checkEntry(key: string, value: unknown, ttl: unknown): void {
  if (typeof value !== 'string') {
    throw new TypeError(
      `KeyvMomento stores Keyv's serialized strings; got ${typeof value} for "${key}" (is Keyv's serialization turned off?)`,
    );
  }
  if (ttl !== undefined && ttl !== null && (typeof ttl !== 'number' || Number.isNaN(ttl))) {
    throw new TypeError(`KeyvMomento: ttl must be a number of ms, got ${String(ttl)} for "${key}"`);
  }
}

/** Whether a record has expired at `now` (Keyv's rule: expired once `now > deadline`). */
export function isExpired(record: StoredRecord, now = Date.now()): boolean {
  return record.deadline !== undefined && now > record.deadline;
}

/** A value under one of the store's keys that it cannot read (corrupt, truncated or foreign): read as a miss. */
export class CorruptRecordError extends Error {
  override name = 'CorruptRecordError';
  /** The user's key (or, for a key over 1 KB, its stored digest). */
  readonly key: string;
  constructor(key: string, reason: string, options?: { cause?: unknown }) {
    super(
      `KeyvMomento: the value under "${key}" is unreadable (${reason}): read as a miss`,
      options,
    );
    this.key = key;
  }
}
