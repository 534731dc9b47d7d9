/**
 * The envelope's wire vocabulary, shared by the writer and the reader.
 *
 * Layout: `MAGIC VERSION FLAGS CRC body`, where `body` is one tagged value (gzip-compressed when
 * `FLAGS & FLAG_GZIP`) and `CRC` is the CRC-32C (4 bytes, little-endian) of `MAGIC VERSION FLAGS`
 * followed by `body`: every stored byte but the checksum itself, so a truncated, altered or
 * foreign value is detected before anything is parsed or inflated. Version 1 had no checksum. A tagged value is a one-byte tag followed by its payload; lengths and
 * counts are unsigned LEB128 varints. Integers in int32 range are zigzag varints, every other
 * number is a little-endian float64, so every JS number (-0, NaN, ±Infinity) survives exactly.
 */

export const MAGIC = 0xb5;
export const VERSION = 2;
export const FLAG_GZIP = 0x01;
/** Where the checksum sits, after magic, version and flags. */
export const CHECKSUM_OFFSET = 3;
export const HEADER_BYTES = 7;
/** Nesting limit for arrays, objects, maps and sets (bounds recursion on hostile input too). */
export const MAX_DEPTH = 512;

export const Tag = {
  Undefined: 0x00,
  Null: 0x01,
  False: 0x02,
  True: 0x03,
  /** zigzag varint, int32 range */
  Int: 0x04,
  /** float64 LE */
  Float: 0x05,
  /** sign byte (0 | 1), varint length, big-endian magnitude */
  BigInt: 0x06,
  /** varint byte length, UTF-8 */
  String: 0x07,
  /** varint code-unit count, UTF-16LE: strings with lone surrogates, which UTF-8 cannot carry */
  String16: 0x08,
  /** varint count, values */
  Array: 0x09,
  /** varint count, (key, value) pairs; key is a String/String16 */
  Object: 0x0a,
  /** same as Object, decoded with a null prototype */
  NullProtoObject: 0x0b,
  /** varint count, (key, value) pairs */
  Map: 0x0c,
  /** varint count, values */
  Set: 0x0d,
  /** float64 LE epoch ms (NaN for an invalid date) */
  Date: 0x0e,
  /** varint length, bytes */
  Uint8Array: 0x0f,
  /** varint length, bytes; decoded as a Node Buffer where `globalThis.Buffer` exists */
  Buffer: 0x10,
  /** varint length, bytes */
  ArrayBuffer: 0x11,
  /** kind byte (index into TYPED_ARRAYS), varint byte length, raw bytes (platform endianness: LE) */
  TypedArray: 0x12,
} as const;

type TypedArrayCtor = {
  new (buffer: ArrayBuffer): ArrayBufferView;
  readonly BYTES_PER_ELEMENT: number;
  readonly name: string;
};

/** Typed arrays other than Uint8Array, by wire kind. Append only: the index is on the wire. */
export const TYPED_ARRAYS: readonly TypedArrayCtor[] = [
  Int8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
  DataView,
] as unknown as TypedArrayCtor[];
