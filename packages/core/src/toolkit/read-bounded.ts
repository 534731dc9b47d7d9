import { concatBytes } from './keys';

/**
 * Reads a web stream whole into new bytes, but never more than `limit`: past the limit the stream is
 * cancelled (the rest is never buffered) and the answer is `undefined`. The one bounded read of
 * the core: a purge request's body, a compressed envelope as it inflates, a stream Next hands a
 * handler.
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
  return concatBytes(parts); // a copy: the chunks may be shared with another reader of a tee
}
