import { NearCache, type NearCacheOptions } from '@momento-http/core';

/** Past this many tracked keys, forget them all and refuse fills from reads started earlier. */
const MAX_TRACKED_WRITES = 10_000;

interface Held<T> {
  entry: T;
  size: number;
}

/**
 * The near cache of *decoded* entries: a hit costs a map lookup, not a decode and a copy of the
 * stored bytes. Entries are shared between reads, so callers hand Next a copy of the mutable parts
 * (see `copySharingBytes`), never the held object.
 *
 * A read fills it only if no write to its key started after the read did, so a read that raced a
 * write on this instance never leaves the older value behind.
 */
export class NearEntries<T> {
  readonly #near: NearCache<Held<T>>;
  #seq = 0;
  #floor = 0;
  readonly #lastWrite = new Map<string, number>();

  constructor(options: NearCacheOptions) {
    this.#near = new NearCache<Held<T>>({ ...options, sizeOf: (held) => held.size });
  }

  get(key: string): T | undefined {
    return this.#near.get(key)?.entry;
  }

  /** Taken before a read goes to the store; pass it back to {@link fill}. */
  ticket(): number {
    return this.#seq;
  }

  /** Keeps a decoded entry read with `ticket`, unless a write to `key` started since. */
  fill(key: string, entry: T, ticket: number): void {
    if (ticket >= this.#floor && (this.#lastWrite.get(key) ?? 0) <= ticket) {
      this.#near.set(key, { entry, size: sizeOf(entry) });
    }
  }

  /** Drops `key` and fences off reads of it started before now (call as a write starts and ends). */
  touch(key: string): void {
    this.#near.delete(key);
    if (this.#lastWrite.size >= MAX_TRACKED_WRITES) {
      this.#lastWrite.clear();
      this.#floor = this.#seq + 1;
    }
    this.#lastWrite.set(key, ++this.#seq);
  }

  delete(key: string): void {
    this.#near.delete(key);
  }
}

/**
 * Bytes a decoded value holds, roughly: strings at two bytes a character, byte arrays at their
 * length, 16 per object, array, Map or Set member. Counted on the decoded value, not the stored
 * bytes, which may be gzip-compressed.
 */
export function sizeOf(value: unknown): number {
  if (typeof value === 'string') return value.length * 2;
  if (value === null || typeof value !== 'object') return 8;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  let size = 16;
  const members =
    value instanceof Map
      ? [...value.keys(), ...value.values()]
      : value instanceof Set || Array.isArray(value)
        ? [...value]
        : Object.values(value);
  for (const member of members) size += 16 + sizeOf(member);
  return size;
}

/**
 * A copy of a decoded value whose objects, arrays, Maps, Sets and Dates are new but whose byte
 * arrays are shared: Next reads `Buffer`s and never writes into them (its own memory cache hands
 * the same ones to every request), while the objects around them are cheap to copy.
 */
export function copySharingBytes<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value;
  if (Array.isArray(value)) return value.map(copySharingBytes) as T;
  if (value instanceof Map) {
    const out = new Map();
    for (const [k, v] of value) out.set(k, copySharingBytes(v));
    return out as T;
  }
  if (value instanceof Set) return new Set([...value].map(copySharingBytes)) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  const out: Record<string, unknown> =
    Object.getPrototypeOf(value) === null ? Object.create(null) : {};
  for (const key of Object.keys(value))
    out[key] = copySharingBytes((value as Record<string, unknown>)[key]);
  return out as T;
}
