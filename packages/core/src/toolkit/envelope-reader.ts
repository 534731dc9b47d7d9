import { MAX_DEPTH, Tag, TYPED_ARRAYS } from './envelope-format';
import { EnvelopeError } from './errors';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

type BufferCtor = { from(bytes: Uint8Array): Uint8Array };

const malformed = (why: string) => new EnvelopeError('MALFORMED', `malformed envelope: ${why}`);

/**
 * Reads tagged values with a bounds check before every access, so hostile or truncated input
 * fails with an {@link EnvelopeError} (never a RangeError, a huge allocation or a stack overflow).
 */
export class ByteReader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  offset: number;

  constructor(bytes: Uint8Array, offset = 0) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = offset;
  }

  get remaining(): number {
    return this.#bytes.length - this.offset;
  }

  byte(): number {
    if (this.offset >= this.#bytes.length) throw malformed('unexpected end of data');
    return this.#bytes[this.offset++] as number;
  }

  /** A view of the next `n` bytes (callers copy when they hand bytes out). */
  take(n: number): Uint8Array {
    if (n > this.remaining) throw malformed('a length runs past the end of the data');
    const out = this.#bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  varuint(): number {
    let n = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.byte();
      n += (b & 0x7f) * scale;
      if (b < 0x80) {
        if (!Number.isSafeInteger(n)) break;
        if (b === 0 && i > 0) throw malformed('non-canonical varint');
        return n;
      }
      scale *= 0x80;
    }
    throw malformed('varint out of range');
  }

  /** A count of items that each take at least `minBytes`, checked against what is left. */
  count(minBytes: number): number {
    const n = this.varuint();
    if (n * minBytes > this.remaining) throw malformed('a count exceeds the remaining data');
    return n;
  }

  float64(): number {
    if (this.remaining < 8) throw malformed('unexpected end of data');
    const n = this.#view.getFloat64(this.offset, true);
    this.offset += 8;
    return n;
  }
}

/** Reads one tagged value. */
export function readValue(r: ByteReader, depth: number): unknown {
  const tag = r.byte();
  switch (tag) {
    case Tag.Undefined:
      return undefined;
    case Tag.Null:
      return null;
    case Tag.False:
      return false;
    case Tag.True:
      return true;
    case Tag.Int: {
      const z = r.varuint();
      if (z > 0xffff_ffff) throw malformed('integer out of int32 range');
      return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
    }
    case Tag.Float:
      return r.float64();
    case Tag.BigInt:
      return readBigInt(r);
    case Tag.String:
    case Tag.String16:
      return readString(r, tag);
    case Tag.Date:
      return new Date(r.float64());
    case Tag.Uint8Array:
      return r.take(r.varuint()).slice();
    case Tag.Buffer: {
      const bytes = r.take(r.varuint());
      const NodeBuffer = (globalThis as { Buffer?: BufferCtor }).Buffer;
      return NodeBuffer ? NodeBuffer.from(bytes) : bytes.slice();
    }
    case Tag.ArrayBuffer:
      return r.take(r.varuint()).slice().buffer;
    case Tag.TypedArray:
      return readTypedArray(r);
  }
  if (depth >= MAX_DEPTH) throw new EnvelopeError('TOO_DEEP', `nesting deeper than ${MAX_DEPTH}`);
  const next = depth + 1;
  switch (tag) {
    case Tag.Array: {
      const out = new Array<unknown>(r.count(1));
      for (let i = 0; i < out.length; i++) out[i] = readValue(r, next);
      return out;
    }
    case Tag.Object:
    case Tag.NullProtoObject: {
      const out: Record<string, unknown> = tag === Tag.Object ? {} : Object.create(null);
      const n = r.count(3);
      for (let i = 0; i < n; i++) {
        const keyTag = r.byte();
        if (keyTag !== Tag.String && keyTag !== Tag.String16)
          throw malformed('object key is not a string');
        const key = readString(r, keyTag);
        const value = readValue(r, next);
        // Assignment is several times faster than defineProperty, but on a plain object a key
        // named "__proto__" would set the prototype instead of staying an own property.
        if (key === '__proto__') {
          Object.defineProperty(out, key, {
            value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        } else {
          out[key] = value;
        }
      }
      return out;
    }
    case Tag.Map: {
      const out = new Map<unknown, unknown>();
      const n = r.count(2);
      for (let i = 0; i < n; i++) out.set(readValue(r, next), readValue(r, next));
      return out;
    }
    case Tag.Set: {
      const out = new Set<unknown>();
      const n = r.count(1);
      for (let i = 0; i < n; i++) out.add(readValue(r, next));
      return out;
    }
  }
  throw malformed(`unknown tag 0x${tag.toString(16)}`);
}

function readString(r: ByteReader, tag: number): string {
  if (tag === Tag.String) {
    const bytes = r.take(r.varuint());
    // Keys and header values are short ASCII: building them here skips TextDecoder's call into
    // the runtime, which costs more than the string itself below a few dozen bytes.
    if (bytes.length <= SHORT_STRING_BYTES) {
      const ascii = asciiString(bytes);
      if (ascii !== undefined) return ascii;
    }
    try {
      return decoder.decode(bytes);
    } catch {
      throw malformed('invalid UTF-8 in a string');
    }
  }
  const units = r.take(r.count(2) * 2);
  let s = '';
  for (let i = 0; i < units.length; i += 2) {
    s += String.fromCharCode((units[i] as number) | ((units[i + 1] as number) << 8));
  }
  return s;
}

/** Strings up to this many bytes are tried as ASCII before TextDecoder. */
const SHORT_STRING_BYTES = 64;

/** `bytes` as a string when every byte is ASCII, else `undefined` (TextDecoder checks UTF-8). */
function asciiString(bytes: Uint8Array): string | undefined {
  let s = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b > 0x7f) return undefined;
    s += String.fromCharCode(b);
  }
  return s;
}

function readBigInt(r: ByteReader): bigint {
  const sign = r.byte();
  if (sign > 1) throw malformed('bad bigint sign');
  const bytes = r.take(r.varuint());
  let hex = '0x0';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  const magnitude = BigInt(hex);
  return sign ? -magnitude : magnitude;
}

function readTypedArray(r: ByteReader): ArrayBufferView {
  const ctor = TYPED_ARRAYS[r.byte()];
  if (!ctor) throw malformed('unknown typed array kind');
  const bytes = r.take(r.varuint());
  if (bytes.length % ctor.BYTES_PER_ELEMENT) throw malformed(`bad ${ctor.name} length`);
  return new ctor(bytes.slice().buffer);
}
