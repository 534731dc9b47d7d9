import { MomentoError, type MomentoErrorDetails } from '@momento-http/core';

type MomentoErrorClass = new (message: string, details: MomentoErrorDetails) => MomentoError;

/**
 * The error an operation reports, naming the user's key(s). A store error names the request that
 * failed, which may be the namespace's generation key (`<ns>|__gen__`, read on the operation's
 * behalf): the user should read which of their keys failed. Core errors keep their class, code
 * and status (the original is the `cause`); other errors pass through unchanged.
 */
export function namingKeys(error: unknown, operation: string, keys: readonly string[]): unknown {
  if (!(error instanceof MomentoError)) return error;
  const where = error.method && error.url ? ` (${error.method} ${error.url})` : '';
  const reason =
    where && error.message.endsWith(where) ? error.message.slice(0, -where.length) : error.message;
  const details: MomentoErrorDetails = {
    code: error.code,
    retryable: error.retryable,
    cause: error,
    ...(error.status === undefined ? {} : { status: error.status }),
  };
  try {
    return new (error.constructor as MomentoErrorClass)(
      `KeyvMomento ${operation} ${describeKeys(keys)}: ${reason}`,
      details,
    );
  } catch {
    return error; // a subclass with a constructor of its own: report it as it is
  }
}

function describeKeys(keys: readonly string[]): string {
  const shown = keys.slice(0, 3).map((key) => JSON.stringify(key.slice(0, 200)));
  return keys.length > 3 ? `${shown.join(', ')} and ${keys.length - 3} more` : shown.join(', ');
}
