import { crc32c } from './crc32c';
import { ChunkingError } from './errors';

/**
 * Framing of values written by `withChunking`. A stored value that starts with `FRAME_PREFIX` is
 * framed: the next byte says how. Values that do not start with it are stored as-is, so small
 * values cost nothing and stay readable by plain clients.
 *
 * - `FRAME_PREFIX 'M' manifest`: a chunked value (see {@link Manifest}), ending with a CRC-32C of
 *   its other bytes, so an altered manifest is refused before any chunk is fetched.
 * - `FRAME_PREFIX 'E' value`: an escaped small value that happened to start with the prefix.
 */
export const FRAME_PREFIX = new Uint8Array([0x00, 0x6d, 0x6f, 0x63, 0x68, 0x6b]); // "\0mochk"
const KIND_MANIFEST = 0x4d; // 'M'
const KIND_ESCAPED = 0x45; // 'E'
/** Version 1 had no checksum of its own; it is refused (a miss) rather than trusted. */
const MANIFEST_VERSION = 2;
const ID_BYTES = 16;
const SHA_BYTES = 32;
const CRC_BYTES = 4;
/** prefix, kind, version, float64 length, u32 chunk size, u32 count, id, sha-256, crc-32c */
export const MANIFEST_BYTES =
  FRAME_PREFIX.length + 1 + 1 + 8 + 4 + 4 + ID_BYTES + SHA_BYTES + CRC_BYTES;
const CRC_OFFSET = MANIFEST_BYTES - CRC_BYTES;

/** What the manifest at the user's key says about a chunked value. */
export interface Manifest {
  /** Total value length in bytes. */
  length: number;
  /** Bytes per chunk (the last chunk may be shorter). */
  chunkSize: number;
  /** Number of chunks, `ceil(length / chunkSize)`. */
  count: number;
  /** Random per-write id (hex) naming this write's chunks. */
  id: string;
  /** SHA-256 of the whole value. */
  sha256: Uint8Array;
}

/** A framed value, as found at the user's key. */
export type Frame = { kind: 'plain'; value: Uint8Array } | { kind: 'manifest'; manifest: Manifest };

export function startsWithPrefix(bytes: Uint8Array): boolean {
  if (bytes.length < FRAME_PREFIX.length) return false;
  for (let i = 0; i < FRAME_PREFIX.length; i++) if (bytes[i] !== FRAME_PREFIX[i]) return false;
  return true;
}

/** Frames a small value for storage: as-is, or escaped when it begins with the prefix. */
export function frameSmall(value: Uint8Array): Uint8Array {
  if (!startsWithPrefix(value)) return value;
  const out = new Uint8Array(FRAME_PREFIX.length + 1 + value.length);
  out.set(FRAME_PREFIX);
  out[FRAME_PREFIX.length] = KIND_ESCAPED;
  out.set(value, FRAME_PREFIX.length + 1);
  return out;
}

export function encodeManifest(m: Manifest): Uint8Array {
  const out = new Uint8Array(MANIFEST_BYTES);
  const view = new DataView(out.buffer);
  out.set(FRAME_PREFIX);
  let at = FRAME_PREFIX.length;
  out[at++] = KIND_MANIFEST;
  out[at++] = MANIFEST_VERSION;
  view.setFloat64(at, m.length, true);
  view.setUint32(at + 8, m.chunkSize, true);
  view.setUint32(at + 12, m.count, true);
  at += 16;
  for (let i = 0; i < ID_BYTES; i++)
    out[at + i] = Number.parseInt(m.id.slice(i * 2, i * 2 + 2), 16);
  out.set(m.sha256, at + ID_BYTES);
  view.setUint32(CRC_OFFSET, crc32c(out.subarray(0, CRC_OFFSET)), true);
  return out;
}

/**
 * Reads what is stored at a user key. Throws {@link ChunkingError} `BAD_MANIFEST` for framed
 * bytes it cannot trust (unknown kind or version, inconsistent sizes), never returning them.
 */
export function readFrame(stored: Uint8Array): Frame {
  if (!startsWithPrefix(stored)) return { kind: 'plain', value: stored };
  const kind = stored[FRAME_PREFIX.length];
  if (kind === KIND_ESCAPED) {
    return { kind: 'plain', value: stored.slice(FRAME_PREFIX.length + 1) };
  }
  const bad = (why: string) => new ChunkingError('BAD_MANIFEST', `bad chunk manifest: ${why}`);
  if (kind !== KIND_MANIFEST) throw bad(`unknown frame kind ${kind}`);
  let at = FRAME_PREFIX.length + 1;
  if (stored[at++] !== MANIFEST_VERSION) throw bad(`unsupported version ${stored[at - 1]}`);
  if (stored.length !== MANIFEST_BYTES)
    throw bad(`expected ${MANIFEST_BYTES} bytes, got ${stored.length}`);
  const view = new DataView(stored.buffer, stored.byteOffset, stored.byteLength);
  if (view.getUint32(CRC_OFFSET, true) !== crc32c(stored.subarray(0, CRC_OFFSET))) {
    throw bad('checksum mismatch (altered or truncated)');
  }
  const length = view.getFloat64(at, true);
  const chunkSize = view.getUint32(at + 8, true);
  const count = view.getUint32(at + 12, true);
  at += 16;
  if (!Number.isSafeInteger(length) || length < 0 || chunkSize < 1) throw bad('invalid sizes');
  if (count !== Math.ceil(length / chunkSize)) throw bad('chunk count does not match length');
  let id = '';
  for (let i = 0; i < ID_BYTES; i++) id += (stored[at + i] as number).toString(16).padStart(2, '0');
  const sha256 = stored.slice(at + ID_BYTES, at + ID_BYTES + SHA_BYTES);
  return { kind: 'manifest', manifest: { length, chunkSize, count, id, sha256 } };
}

/** A fresh random write id (128 bits, hex). */
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(ID_BYTES));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
