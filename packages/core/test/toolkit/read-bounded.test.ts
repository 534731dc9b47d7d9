/** readBounded: a web stream read whole up to a limit, cancelled (never buffered) past it. */
import { describe, expect, it } from 'vitest';
import { readBounded } from '../../src/toolkit/read-bounded';

function streamOf(
  chunks: Uint8Array[],
  onCancel?: () => void,
  onPull?: () => void,
): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        onPull?.();
        const chunk = chunks[i++];
        if (chunk) controller.enqueue(chunk);
        else controller.close();
      },
      cancel: onCancel,
    },
    { highWaterMark: 0 },
  );
}

describe('readBounded', () => {
  it('joins the chunks of a stream within the limit', async () => {
    const bytes = await readBounded(streamOf([Uint8Array.of(1, 2), Uint8Array.of(3)]), 3);
    expect(bytes && [...bytes]).toEqual([1, 2, 3]);
  });

  it('answers an empty stream with no bytes', async () => {
    expect(await readBounded(streamOf([]), 0)).toEqual(new Uint8Array(0));
  });

  it('past the limit: undefined, the stream cancelled and no later chunk read', async () => {
    let cancelled = false;
    let pulled = 0;
    const chunks = [new Uint8Array(4), new Uint8Array(4), new Uint8Array(4)];
    const stream = streamOf(
      chunks,
      () => {
        cancelled = true;
      },
      () => pulled++,
    );
    expect(await readBounded(stream, 5)).toBeUndefined();
    expect(cancelled).toBe(true);
    expect(pulled).toBe(2); // the third chunk was never asked for
  });
});
