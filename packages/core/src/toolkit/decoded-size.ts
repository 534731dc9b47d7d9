/**
 * Bytes a decoded value holds, roughly: strings at two bytes a character, byte arrays at their
 * length, 16 per object, array, Map or Set member, 8 per other primitive. Counted on the decoded
 * value (what a near cache holds), not the stored bytes, which may be compressed. Cycles are not
 * followed twice.
 */
export function estimateDecodedBytes(value: unknown, seen = new Set<object>()): number {
  if (typeof value === 'string') return value.length * 2;
  if (value === null || typeof value !== 'object') return 8;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (seen.has(value)) return 8;
  seen.add(value);
  let size = 16;
  const members =
    value instanceof Map
      ? [...value.keys(), ...value.values()]
      : value instanceof Set || Array.isArray(value)
        ? [...value]
        : Object.values(value);
  for (const member of members) size += 16 + estimateDecodedBytes(member, seen);
  return size;
}
