/** Deterministic random values for property tests (mulberry32), so failures reproduce by seed. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T;
  const bytes = (n: number) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = int(0, 255);
    return out;
  };
  return { next, int, pick, bytes };
}

export type Rng = ReturnType<typeof rng>;

const SPECIAL_NUMBERS = [
  0,
  -0,
  1,
  -1,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  Number.EPSILON,
  0x7fff_ffff,
  -0x8000_0000,
  0x8000_0000,
  -0x8000_0001,
  2 ** 53,
];

export function randomString(r: Rng): string {
  const kind = r.int(0, 5);
  const length = r.pick([0, 1, 2, 5, 16, 100]);
  let s = '';
  for (let i = 0; i < length; i++) {
    if (kind === 0) s += String.fromCharCode(r.int(0x20, 0x7e));
    else if (kind === 1)
      s += String.fromCharCode(r.int(0, 0xffff)); // lone surrogates likely
    else if (kind === 2) s += String.fromCodePoint(r.int(0x1f300, 0x1faff));
    else if (kind === 3) s += r.pick(['é', '日', '\u0000', '\uFEFF', '\uD800', '\uDFFF', 'a']);
    else s += String.fromCodePoint(r.int(0, 0x10ffff));
  }
  return kind === 5 && r.next() < 0.3 ? '__proto__' : s;
}

function randomBytesLike(r: Rng): unknown {
  const n = r.pick([0, 1, 3, 64, 1000]);
  const base = r.bytes(n + 8);
  const offset = r.int(0, 8);
  switch (r.int(0, 6)) {
    case 0:
      return base.subarray(offset, offset + n); // a view into a larger buffer
    case 1:
      return Buffer.from(base.subarray(0, n));
    case 2:
      return base.slice(0, n).buffer;
    case 3:
      return new Float64Array(r.bytes(16).buffer);
    case 4:
      return new Int16Array(base.slice(0, n - (n % 2)).buffer);
    case 5:
      return new BigInt64Array([BigInt(r.int(-1e9, 1e9)) * 123456789n]);
    default:
      return new DataView(base.slice(0, n).buffer);
  }
}

/** A random value the envelope carries exactly (no holes, no shared references). */
export function randomValue(r: Rng, depth = 0): unknown {
  const leaf = depth >= 4 || r.next() < 0.45;
  if (leaf) {
    switch (r.int(0, 9)) {
      case 0:
        return r.pick([undefined, null, true, false]);
      case 1:
        return r.pick(SPECIAL_NUMBERS);
      case 2:
        return r.int(-1_000_000, 1_000_000);
      case 3:
        return (r.next() - 0.5) * 10 ** r.int(-300, 300);
      case 4: {
        const n = BigInt(r.int(0, 2 ** 31)) ** BigInt(r.int(0, 6));
        return r.next() < 0.5 ? -n : n;
      }
      case 5:
      case 6:
        return randomString(r);
      case 7:
        return r.next() < 0.1 ? new Date(Number.NaN) : new Date(r.int(-8.64e12, 8.64e12));
      default:
        return randomBytesLike(r);
    }
  }
  const size = r.int(0, 5);
  switch (r.int(0, 4)) {
    case 0:
      return Array.from({ length: size }, () => randomValue(r, depth + 1));
    case 1:
    case 2: {
      const out: Record<string, unknown> = r.next() < 0.2 ? Object.create(null) : {};
      for (let i = 0; i < size; i++) {
        Object.defineProperty(out, randomString(r), {
          value: randomValue(r, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    case 3:
      return new Map(
        Array.from({ length: size }, () => [randomValue(r, depth + 1), randomValue(r, depth + 1)]),
      );
    default:
      return new Set(Array.from({ length: size }, () => randomValue(r, depth + 1)));
  }
}

/**
 * Exact structural equality: same prototypes, Object.is on primitives (-0 ≠ 0, NaN = NaN), same
 * bytes for binary values, same key order, entries of Maps and Sets compared in order.
 * Returns a path to the first difference, or undefined when equal.
 */
export function difference(a: unknown, b: unknown, path = '$'): string | undefined {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
    return Object.is(a, b) ? undefined : `${path}: ${String(a)} !== ${String(b)}`;
  }
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${path}: prototypes differ`;
  if (a instanceof Date)
    return Object.is(a.getTime(), (b as Date).getTime()) ? undefined : `${path}: dates`;
  if (a instanceof ArrayBuffer || ArrayBuffer.isView(a)) {
    const x =
      a instanceof ArrayBuffer
        ? new Uint8Array(a)
        : new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const bb = b as ArrayBuffer | ArrayBufferView;
    const y =
      bb instanceof ArrayBuffer
        ? new Uint8Array(bb)
        : new Uint8Array(bb.buffer, bb.byteOffset, bb.byteLength);
    return x.length === y.length && x.every((v, i) => v === y[i]) ? undefined : `${path}: bytes`;
  }
  const entries = (v: object): [unknown, unknown][] =>
    v instanceof Map ? [...v] : v instanceof Set ? [...v].map((x) => [x, x]) : Object.entries(v);
  const ea = entries(a);
  const eb = entries(b);
  if (ea.length !== eb.length) return `${path}: ${ea.length} entries vs ${eb.length}`;
  for (let i = 0; i < ea.length; i++) {
    const [ka, va] = ea[i] as [unknown, unknown];
    const [kb, vb] = eb[i] as [unknown, unknown];
    const d = difference(ka, kb, `${path}.<key ${i}>`) ?? difference(va, vb, `${path}[${i}]`);
    if (d) return d;
  }
  return undefined;
}
