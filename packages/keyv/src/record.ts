/**
 * The stored form of one Keyv value: a tiny header with the absolute deadline, then Keyv's
 * serialized string, all UTF-8:
 *
 *     K<deadline in epoch ms, or nothing>\n<value>
 *
 * Momento expires items in whole seconds; the header makes expiry exact to the millisecond from
 * Keyv's point of view (Keyv 5 trusts `store.has()` without looking at its own envelope).
 */

const TAG = 'K';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A decoded record. */
export interface StoredRecord {
  value: string;
  /** Epoch ms after which the value is gone; `undefined` = until the server drops it. */
  deadline: number | undefined;
}

/** Encodes a value and its deadline. */
export function encodeRecord(value: string, deadline: number | undefined): Uint8Array {
  return encoder.encode(`${TAG}${deadline ?? ''}\n${value}`);
}

/**
 * Decodes a record; `undefined` when the bytes are not one (a foreign or corrupt value).
 */
export function decodeRecord(bytes: Uint8Array): StoredRecord | undefined {
  const text = decoder.decode(bytes);
  const newline = text.indexOf('\n');
  if (text[0] !== TAG || newline < 0) return undefined;
  const header = text.slice(1, newline);
  const deadline = header === '' ? undefined : Number(header);
  if (deadline !== undefined && !Number.isFinite(deadline)) return undefined;
  return { value: text.slice(newline + 1), deadline };
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

/** A value under one of the store's keys that it did not write (or cannot read). */
export class CorruptRecordError extends Error {
  override name = 'CorruptRecordError';
  constructor(key: string) {
    super(`KeyvMomento: the value under "${key}" is not a KeyvMomento record`);
  }
}
