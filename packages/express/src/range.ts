/**
 * RFC 9110 §14.1.2: the one byte range a `Range: bytes=…` header asks of a `size`-byte body, as
 * inclusive offsets; `undefined` when it is not a single satisfiable byte range (the stored full
 * response is then sent instead, which a server may always do).
 */
export function singleByteRange(
  header: string | string[] | undefined,
  size: number,
): { start: number; end: number } | undefined {
  if (typeof header !== 'string' || size === 0) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/i.exec(header.trim());
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '') {
    // Suffix: the last N bytes.
    if (last === '' || Number(last) === 0) return undefined;
    return { start: Math.max(0, size - Number(last)), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return start <= end && start < size ? { start, end } : undefined;
}
