/**
 * The user's `onError` is typed `(error: Error, …)`: what reaches it is almost always one of core's
 * `MomentoError` family (timeouts, connection and server errors, refused keys, damaged records),
 * but a `store` of the user's own may reject with anything. A non-Error is wrapped here, once, so
 * the promised type is true and the original value stays reachable as `cause`.
 */
import type { CacheOperation } from './options';

/** The internal form every component calls with whatever it caught. */
export type InternalErrorHandler = (error: unknown, operation: CacheOperation) => void;

export function toErrorHandler(
  onError: ((error: Error, operation: CacheOperation) => void) | undefined,
): InternalErrorHandler | undefined {
  if (!onError) return undefined;
  return (error, operation) => onError(asError(error), operation);
}

export function asError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new Error(`a cache store failed with a non-Error value: ${String(value)}`, {
    cause: value,
  });
}
