/**
 * A copy of a decoded value whose objects, arrays, Maps, Sets and Dates are new but whose byte
 * arrays are shared. Entries held near (or written by this process and still in flight) serve
 * every request: Next gets its own objects, so what one request does to its value never reaches
 * the next, while the `Buffer`s, which Next reads and never writes into (its own memory cache
 * hands the same ones to every request), are not copied.
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
