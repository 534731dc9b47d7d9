/**
 * Reads a web stream whole, but never more than `limit` bytes: past the limit the stream is
 * cancelled (the rest is never buffered) and the answer is `undefined`. The one bounded read of
 * the core: a purge request's body, a compressed envelope as it inflates.
 *
 * @example
 * const body = await readBounded(request.body, 64 * 1024);
 * if (body === undefined) return new Response('too large', { status: 413 });
 */
export async function readBounded(
  stream: ReadableStream<Uint8Array>,
  limit: number,
): Promise<Uint8Array | undefined> {
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    parts.push(value);
  }
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
