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

/** A stored partial response's `Content-Range: bytes first-last/complete`. */
export function storedRange(
  value: string | string[] | undefined,
): { first: number; last: number; complete: number } | undefined {
  const match = typeof value === 'string' ? /^bytes (\d+)-(\d+)\/(\d+)$/.exec(value.trim()) : null;
  if (!match) return undefined;
  const [first, last, complete] = match.slice(1).map(Number) as [number, number, number];
  return first <= last && last < complete ? { first, last, complete } : undefined;
}

/** What a stored entry answers to this request: all of it, one part of it, or nothing. */
export type RangeAnswer =
  | { kind: 'whole' }
  | { kind: 'part'; body: Uint8Array; contentRange: string }
  | { kind: 'none' };

/**
 * A stored 200 answers any request (a single byte range as a 206, anything else whole). A stored
 * 206 answers only a range inside the part it holds (RFC 9111 §3.4: a cache may serve what it has).
 */
export function answerRange(
  entry: { status: number; headers: Record<string, string | string[]>; body: Uint8Array },
  header: string | string[] | undefined,
): RangeAnswer {
  if (entry.status === 206) {
    const held = storedRange(entry.headers['content-range']);
    const wanted = held && singleByteRange(header, held.complete);
    if (!held || !wanted || wanted.start < held.first || wanted.end > held.last) {
      return { kind: 'none' };
    }
    return {
      kind: 'part',
      body: entry.body.subarray(wanted.start - held.first, wanted.end - held.first + 1),
      contentRange: `bytes ${wanted.start}-${wanted.end}/${held.complete}`,
    };
  }
  const wanted = entry.status === 200 ? singleByteRange(header, entry.body.byteLength) : undefined;
  if (!wanted) return { kind: 'whole' };
  return {
    kind: 'part',
    body: entry.body.subarray(wanted.start, wanted.end + 1),
    contentRange: `bytes ${wanted.start}-${wanted.end}/${entry.body.byteLength}`,
  };
}
