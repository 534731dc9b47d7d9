import { crc32c } from './crc32c';
import { CHECKSUM_OFFSET, FLAG_GZIP, HEADER_BYTES, MAGIC, VERSION } from './envelope-format';
import { ByteReader, readValue } from './envelope-reader';
import { ByteWriter, writeValue } from './envelope-writer';
import { EnvelopeError } from './errors';
import { readBounded } from './read-bounded';

/** Options for {@link encodeEnvelope}. */
export interface EncodeEnvelopeOptions {
  /**
   * Gzip the payload when it is larger than this many bytes, and keep the compressed form only
   * if it is smaller. Compression costs CPU on every write and read; it pays for large, repetitive
   * values (HTML, JSON) on a metered network. @default Infinity (never compress)
   */
  compressAboveBytes?: number;
}

/** Options for {@link decodeEnvelope}. */
export interface DecodeEnvelopeOptions {
  /** Refuse to inflate a compressed payload beyond this many bytes (guards against gzip bombs). @default 268_435_456 (256 MiB) */
  maxDecodedBytes?: number;
}

/** Default inflate limit of {@link decodeEnvelope}: 256 MiB. */
export const DEFAULT_MAX_DECODED_BYTES = 256 * 1024 * 1024;

/**
 * Encodes a structured value into a compact binary envelope.
 *
 * Carries, bit-exactly: `undefined`, `null`, booleans, every number (including -0 and NaN),
 * bigint, strings (UTF-8; strings with lone surrogates as UTF-16), arrays (holes become
 * `undefined`), plain and null-prototype objects (own enumerable string keys), `Map`, `Set`,
 * `Date`, `Uint8Array`, Node `Buffer`, `ArrayBuffer`, the other typed arrays and `DataView`.
 * Shared references are written once per occurrence (they come back as copies).
 *
 * The format starts with a magic byte and a version byte, so a future format can be told apart,
 * and carries a CRC-32C of every other byte, so {@link decodeEnvelope} refuses a truncated, altered
 * or foreign value instead of returning a wrong one.
 *
 * @throws EnvelopeError `UNSUPPORTED_TYPE` (functions, symbols, class instances, …), `CIRCULAR`,
 *   `TOO_DEEP` (more than 512 levels).
 * @example
 * const bytes = await encodeEnvelope({ html: '<p>hi</p>', rsc: Buffer.from('…'), segments: new Map() });
 * const entry = await decodeEnvelope(bytes);
 */
export async function encodeEnvelope(
  value: unknown,
  options: EncodeEnvelopeOptions = {},
): Promise<Uint8Array> {
  const threshold = options.compressAboveBytes ?? Number.POSITIVE_INFINITY;
  const w = new ByteWriter();
  w.byte(MAGIC);
  w.byte(VERSION);
  w.byte(0);
  for (let i = CHECKSUM_OFFSET; i < HEADER_BYTES; i++) w.byte(0);
  writeValue(w, value, new Set(), 0);
  const plain = w.result();
  const bodyBytes = plain.length - HEADER_BYTES;
  if (!(bodyBytes > threshold)) return seal(plain);
  const gzipped = await gzip(plain.subarray(HEADER_BYTES));
  if (gzipped.length >= bodyBytes) return seal(plain);
  const out = new Uint8Array(HEADER_BYTES + gzipped.length);
  out.set([MAGIC, VERSION, FLAG_GZIP]);
  out.set(gzipped, HEADER_BYTES);
  return seal(out);
}

/** The checksum of an envelope: every byte except the checksum field itself. */
function checksumOf(bytes: Uint8Array): number {
  return crc32c(bytes.subarray(HEADER_BYTES), crc32c(bytes.subarray(0, CHECKSUM_OFFSET)));
}

/** Writes the checksum into its field (in place) and returns the envelope. */
function seal(envelope: Uint8Array): Uint8Array {
  new DataView(envelope.buffer, envelope.byteOffset).setUint32(
    CHECKSUM_OFFSET,
    checksumOf(envelope),
    true,
  );
  return envelope;
}

/**
 * Decodes an envelope written by {@link encodeEnvelope}. Buffers come back as `Buffer` where
 * `globalThis.Buffer` exists (as `Uint8Array` elsewhere); every returned byte array is a copy.
 *
 * The checksum is verified first: a truncated or altered envelope fails with `INTEGRITY` before
 * anything is parsed or inflated. Callers that cache should report the error and read a miss.
 *
 * @throws EnvelopeError `INTEGRITY` (checksum mismatch: truncated or altered), `MALFORMED` (not an
 *   envelope at all, or not well-formed), `UNSUPPORTED_VERSION` (another format version, including
 *   version 1, which had no checksum), `TOO_DEEP`, `TOO_LARGE`; never a crash or a partial value.
 */
export async function decodeEnvelope(
  bytes: Uint8Array,
  options: DecodeEnvelopeOptions = {},
): Promise<unknown> {
  if (!(bytes instanceof Uint8Array)) {
    throw new EnvelopeError('MALFORMED', 'malformed envelope: expected a Uint8Array');
  }
  if (bytes.length < 2 || bytes[0] !== MAGIC) {
    throw new EnvelopeError('MALFORMED', 'malformed envelope: missing header');
  }
  if (bytes[1] !== VERSION) {
    throw new EnvelopeError(
      'UNSUPPORTED_VERSION',
      `envelope version ${bytes[1]} is not supported; this library reads version ${VERSION}`,
    );
  }
  if (bytes.length < HEADER_BYTES + 1) {
    throw new EnvelopeError('INTEGRITY', `envelope truncated to ${bytes.length} bytes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(CHECKSUM_OFFSET, true) !== checksumOf(bytes)) {
    throw new EnvelopeError(
      'INTEGRITY',
      `envelope checksum mismatch over ${bytes.length} bytes: truncated or altered`,
    );
  }
  if (((bytes[2] as number) & ~FLAG_GZIP) !== 0) {
    throw new EnvelopeError('UNSUPPORTED_VERSION', `envelope flags ${bytes[2]} are not supported`);
  }
  const compressed = ((bytes[2] as number) & FLAG_GZIP) !== 0;
  const body = compressed
    ? await gunzip(
        bytes.subarray(HEADER_BYTES),
        options.maxDecodedBytes ?? DEFAULT_MAX_DECODED_BYTES,
      )
    : bytes.subarray(HEADER_BYTES);
  const r = new ByteReader(body);
  const value = readValue(r, 0);
  if (r.remaining !== 0) {
    throw new EnvelopeError('MALFORMED', `malformed envelope: ${r.remaining} trailing bytes`);
  }
  return value;
}

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function gunzip(bytes: Uint8Array, limit: number): Promise<Uint8Array> {
  let out: Uint8Array | undefined;
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
      .stream()
      .pipeThrough(new DecompressionStream('gzip'));
    out = await readBounded(stream, limit);
  } catch (error) {
    throw new EnvelopeError('MALFORMED', 'malformed envelope: invalid gzip data', { cause: error });
  }
  if (out === undefined) {
    throw new EnvelopeError('TOO_LARGE', `compressed envelope inflates beyond ${limit} bytes`);
  }
  return out;
}
