import { MAX_DEPTH, Tag, TYPED_ARRAYS } from './envelope-format';
import { EnvelopeError } from './errors';

const encoder = new TextEncoder();
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const INT32_MIN = -0x8000_0000;
const INT32_MAX = 0x7fff_ffff;

/** A growable byte buffer (amortised doubling), written front to back. */
export class ByteWriter {
  #buf: Uint8Array;
  #view: DataView;
  length = 0;

  constructor(initial = 256) {
    this.#buf = new Uint8Array(initial);
    this.#view = new DataView(this.#buf.buffer);
  }

  #reserve(n: number): void {
    if (this.length + n <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.length));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }

  byte(b: number): void {
    this.#reserve(1);
    this.#buf[this.length++] = b;
  }

  bytes(bytes: Uint8Array): void {
    this.#reserve(bytes.length);
    this.#buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** Unsigned LEB128 of a safe integer (arithmetic, not bitwise, so lengths above 2^31 work). */
  varuint(n: number): void {
    this.#reserve(8);
    while (n >= 0x80) {
      this.#buf[this.length++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.#buf[this.length++] = n;
  }

  float64(n: number): void {
    this.#reserve(8);
    this.#view.setFloat64(this.length, n, true);
    this.length += 8;
  }

  result(): Uint8Array {
    return this.#buf.slice(0, this.length);
  }
}

/** Appends one tagged value. Throws {@link EnvelopeError} for values the format cannot carry. */
export function writeValue(w: ByteWriter, value: unknown, seen: Set<object>, depth: number): void {
  switch (typeof value) {
    case 'undefined':
      w.byte(Tag.Undefined);
      break;
    case 'boolean':
      w.byte(value ? Tag.True : Tag.False);
      break;
    case 'number':
      writeNumber(w, value);
      break;
    case 'bigint':
      writeBigInt(w, value);
      break;
    case 'string':
      writeString(w, value);
      break;
    case 'object':
      if (value === null) w.byte(Tag.Null);
      else writeObject(w, value, seen, depth);
      break;
    default:
      throw new EnvelopeError('UNSUPPORTED_TYPE', `cannot encode a ${typeof value}`);
  }
}

function writeNumber(w: ByteWriter, n: number): void {
  if (Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX && !Object.is(n, -0)) {
    w.byte(Tag.Int);
    w.varuint(n >= 0 ? n * 2 : -n * 2 - 1);
  } else {
    w.byte(Tag.Float);
    w.float64(n);
  }
}

function writeBigInt(w: ByteWriter, n: bigint): void {
  const negative = n < 0n;
  let hex = (negative ? -n : n).toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++)
    bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  w.byte(Tag.BigInt);
  w.byte(negative ? 1 : 0);
  w.varuint(bytes.length);
  w.bytes(bytes);
}

function writeString(w: ByteWriter, s: string): void {
  if (LONE_SURROGATE.test(s)) {
    // UTF-8 would replace lone surrogates with U+FFFD; keep the code units instead.
    w.byte(Tag.String16);
    w.varuint(s.length);
    const units = new Uint8Array(s.length * 2);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      units[i * 2] = c & 0xff;
      units[i * 2 + 1] = c >> 8;
    }
    w.bytes(units);
    return;
  }
  const bytes = encoder.encode(s);
  w.byte(Tag.String);
  w.varuint(bytes.length);
  w.bytes(bytes);
}

function writeBytes(w: ByteWriter, tag: number, bytes: Uint8Array): void {
  w.byte(tag);
  w.varuint(bytes.byteLength);
  w.bytes(bytes);
}

function writeObject(w: ByteWriter, value: object, seen: Set<object>, depth: number): void {
  if (value instanceof Uint8Array) {
    const NodeBuffer = (globalThis as { Buffer?: { isBuffer(v: unknown): boolean } }).Buffer;
    // Other Uint8Array subclasses are carried (and come back) as plain Uint8Arrays.
    writeBytes(w, NodeBuffer?.isBuffer(value) ? Tag.Buffer : Tag.Uint8Array, value);
    return;
  }
  if (value instanceof Date) {
    w.byte(Tag.Date);
    w.float64(value.getTime());
    return;
  }
  if (value instanceof ArrayBuffer) {
    writeBytes(w, Tag.ArrayBuffer, new Uint8Array(value));
    return;
  }
  if (ArrayBuffer.isView(value)) {
    const kind = TYPED_ARRAYS.findIndex((ctor) => value.constructor === ctor);
    if (kind < 0) {
      throw new EnvelopeError('UNSUPPORTED_TYPE', `cannot encode a ${value.constructor.name}`);
    }
    w.byte(Tag.TypedArray);
    w.byte(kind);
    const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    w.varuint(bytes.byteLength);
    w.bytes(bytes);
    return;
  }
  if (depth >= MAX_DEPTH) {
    throw new EnvelopeError('TOO_DEEP', `value nests deeper than ${MAX_DEPTH} levels`);
  }
  if (seen.has(value)) throw new EnvelopeError('CIRCULAR', 'cannot encode a circular value');
  seen.add(value);
  const next = depth + 1;
  if (Array.isArray(value)) {
    w.byte(Tag.Array);
    w.varuint(value.length);
    // Index loop on purpose: holes become undefined instead of shifting later elements.
    for (let i = 0; i < value.length; i++) writeValue(w, value[i], seen, next);
  } else if (value instanceof Map) {
    w.byte(Tag.Map);
    w.varuint(value.size);
    for (const [k, v] of value) {
      writeValue(w, k, seen, next);
      writeValue(w, v, seen, next);
    }
  } else if (value instanceof Set) {
    w.byte(Tag.Set);
    w.varuint(value.size);
    for (const v of value) writeValue(w, v, seen, next);
  } else {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
      throw new EnvelopeError('UNSUPPORTED_TYPE', `cannot encode a ${name} instance`);
    }
    const keys = Object.keys(value);
    w.byte(proto === null ? Tag.NullProtoObject : Tag.Object);
    w.varuint(keys.length);
    for (const key of keys) {
      writeString(w, key);
      writeValue(w, (value as Record<string, unknown>)[key], seen, next);
    }
  }
  seen.delete(value);
}
