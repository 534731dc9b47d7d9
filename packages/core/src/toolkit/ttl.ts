/**
 * TTL mapping: frameworks speak milliseconds (or "no expiry"); Momento takes whole seconds in
 * `1..max` on every write. This is the one place that conversion happens.
 */

import { InvalidArgumentError } from '../client/errors';
import { DEFAULT_MAX_TTL_SECONDS } from './limits';
import { checkWholeNumber, show } from './option-checks';

/** How an adapter maps framework TTLs onto Momento TTLs. */
export interface TtlPolicy {
  /** TTL used when the framework asks for "no expiry" (`undefined` or `Infinity`). Capped to `maxTtlSeconds`. */
  defaultTtlSeconds: number;
  /** Upper bound for every TTL sent to the server. @default 86400 (DEFAULT_MAX_TTL_SECONDS) */
  maxTtlSeconds: number;
}

/**
 * Converts a framework TTL in milliseconds to whole seconds for Momento.
 *
 * - `undefined` / `Infinity` -> `policy.defaultTtlSeconds` (capped to the maximum);
 * - otherwise `ceil(ms / 1000)`, at least 1, at most `policy.maxTtlSeconds`.
 *
 * Rounding up keeps an entry alive at least as long as asked (a 1500 ms TTL lives 2 s, never 1 s).
 * `ttlMs <= 0` means "already expired": adapters should delete instead of calling this; if they do
 * call it, the result is the minimum (1 s).
 *
 * @throws InvalidArgumentError when `ttlMs` is NaN or the policy is invalid.
 * @example toTtlSeconds(1500, { defaultTtlSeconds: 3600, maxTtlSeconds: 86400 }) // 2
 */
export function toTtlSeconds(ttlMs: number | undefined, policy: TtlPolicy): number {
  const max = checkPositiveInteger(policy.maxTtlSeconds, 'maxTtlSeconds');
  if (ttlMs === undefined || ttlMs === Number.POSITIVE_INFINITY) {
    return Math.min(checkPositiveInteger(policy.defaultTtlSeconds, 'defaultTtlSeconds'), max);
  }
  if (typeof ttlMs !== 'number' || Number.isNaN(ttlMs)) {
    throw new InvalidArgumentError(`ttlMs must be a number of milliseconds, got ${show(ttlMs)}`);
  }
  return Math.min(Math.max(Math.ceil(ttlMs / 1000), 1), max);
}

/**
 * Validates and fills a TTL policy once (adapters call this while normalising their options).
 *
 * @param defaults `maxTtlSeconds` defaults to 86400; `defaultTtlSeconds` defaults to the maximum.
 * @throws InvalidArgumentError naming the value that is not a positive whole number.
 */
export function normalizeTtlPolicy(input: Partial<TtlPolicy> = {}): TtlPolicy {
  const maxTtlSeconds = checkPositiveInteger(
    input.maxTtlSeconds ?? DEFAULT_MAX_TTL_SECONDS,
    'maxTtlSeconds',
  );
  const defaultTtlSeconds = checkPositiveInteger(
    input.defaultTtlSeconds ?? maxTtlSeconds,
    'defaultTtlSeconds',
  );
  return { defaultTtlSeconds: Math.min(defaultTtlSeconds, maxTtlSeconds), maxTtlSeconds };
}

function checkPositiveInteger(value: number, name: string): number {
  return checkWholeNumber(name, value, 1, 'seconds');
}
