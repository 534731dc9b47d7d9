import type { MomentoErrorCode } from '../client/errors';

/**
 * `'equal'`, or where two byte arrays first differ. Compared by hand: a framework's deep equal
 * walks megabytes element by element, and its diff of two large arrays is unreadable anyway.
 */
export function byteDifference(actual: Uint8Array | undefined, expected: Uint8Array): string {
  if (actual === undefined) return 'a miss (undefined)';
  if (actual.length !== expected.length) {
    return `${actual.length} bytes, expected ${expected.length}`;
  }
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] !== expected[i]) return `first difference at byte ${i}`;
  }
  return 'equal';
}

/**
 * How a call settled, as one comparable string: `'rejected <code>'` for a typed error, else
 * what went wrong. Codes rather than classes: a stack built from another copy of the core (a
 * bundle, a second install) throws other class objects with the same codes.
 */
export async function outcome(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return 'resolved';
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const name = (error as { name?: unknown } | null)?.name;
    return typeof code === 'string' && name !== undefined
      ? `rejected ${code}`
      : `rejected untyped ${String(error)}`;
  }
}

/** `outcome` normalised against the codes a check accepts, so a mismatch prints the real one. */
export async function typedRejection(
  call: () => Promise<unknown>,
  accepted: readonly MomentoErrorCode[],
): Promise<string> {
  const seen = await outcome(call);
  return accepted.some((code) => seen === `rejected ${code}`) ? `rejected ${accepted[0]}` : seen;
}

/** Deterministic bytes of one length, different per `seed` (so overwrites are told apart). */
export function pattern(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 255;
  }
  return out;
}
