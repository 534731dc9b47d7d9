import type { Readable } from 'node:stream';

export function relayLines(
  stream: Readable,
  out: { write(text: string): unknown },
  prefix: string,
  silenced: () => boolean,
): void;
