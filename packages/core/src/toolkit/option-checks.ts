/**
 * Option checks shared by the toolkit. Each throws `InvalidArgumentError` naming the option and
 * saying what it must be, so a bad option fails where it is passed, with the fix in the message.
 */
import { InvalidArgumentError } from '../client/errors';

/** A whole number of at least `min` (1 unless told). */
export function checkWholeNumber(name: string, value: unknown, min = 1, unit = ''): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    const what = min === 1 ? 'a positive whole number' : `a whole number of at least ${min}`;
    throw new InvalidArgumentError(
      `${name} must be ${what}${unit && ` of ${unit}`}, got ${show(value)}`,
    );
  }
  return value;
}

/** A number (not NaN) of at least `min` (0 unless told); Infinity passes. */
export function checkAtLeast(name: string, value: unknown, min = 0): number {
  if (typeof value !== 'number' || !(value >= min)) {
    throw new InvalidArgumentError(`${name} must be a number >= ${min}, got ${show(value)}`);
  }
  return value;
}

/** How a bad value reads in a message: strings quoted, everything else as `String()` gives it. */
export function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
