import { crc32c } from '../../src/toolkit/crc32c';

/**
 * An envelope (version 2) around any body with a correct checksum, so tests can reach the parser
 * with hostile bodies that the checksum would otherwise refuse first.
 */
export function sealedEnvelope(body: ArrayLike<number>, flags = 0): Uint8Array {
  const out = new Uint8Array(7 + body.length);
  out.set([0xb5, 2, flags]);
  out.set(Array.from(body), 7);
  const crc = crc32c(out.subarray(7), crc32c(out.subarray(0, 3)));
  new DataView(out.buffer).setUint32(3, crc, true);
  return out;
}
