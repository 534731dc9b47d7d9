/**
 * The typed error family. A miss is never an error (it is `undefined`); everything else that can
 * go wrong is one of these, with the HTTP method and the URL (never the token) in the message.
 */

/** Machine-readable error codes, named after Momento's SDK vocabulary. */
export type MomentoErrorCode =
  | 'INVALID_ARGUMENT'
  | 'BAD_REQUEST'
  | 'AUTHENTICATION'
  | 'API_KEY_EXPIRED'
  | 'PERMISSION_DENIED'
  | 'NOT_FOUND'
  | 'CACHE_NOT_FOUND'
  | 'STORE_NOT_FOUND'
  | 'ITEM_TOO_LARGE'
  | 'LIMIT_EXCEEDED'
  | 'SERVER_ERROR'
  | 'TIMEOUT'
  | 'CONNECTION'
  | 'UNKNOWN';

/** What every error knows about the call that failed. */
export interface MomentoErrorDetails {
  code?: MomentoErrorCode;
  status?: number;
  method?: string;
  /** The request URL without credentials. */
  url?: string;
  retryable?: boolean;
  cause?: unknown;
}

/** Base class of every error the client throws (except an abort, which rejects with the signal's reason). */
export class MomentoError extends Error {
  override name = 'MomentoError';
  readonly code: MomentoErrorCode;
  /** HTTP status, when the server answered. */
  readonly status: number | undefined;
  readonly method: string | undefined;
  /** The request URL, never with a token in it. */
  readonly url: string | undefined;
  /** Whether the client would retry this error (network errors, 5xx; 429 only when opted in). */
  readonly retryable: boolean;

  /**
   * What a subclass fills in when the caller's details leave it out (its code, status and
   * retryability), so the subclasses need no constructor of their own.
   * @internal
   */
  protected static readonly defaults: MomentoErrorDetails = {};

  constructor(message: string, details: MomentoErrorDetails = {}) {
    const all = { ...(new.target as typeof MomentoError).defaults, ...details };
    const where = all.method && all.url ? ` (${all.method} ${all.url})` : '';
    super(`${message}${where}`, all.cause === undefined ? undefined : { cause: all.cause });
    this.code = all.code ?? 'UNKNOWN';
    this.status = all.status;
    this.method = all.method;
    this.url = all.url;
    this.retryable = all.retryable ?? false;
  }
}

/** Bad input caught before any request: a bad cache name, key, TTL, metadata name or option. */
export class InvalidArgumentError extends MomentoError {
  override name = 'InvalidArgumentError';
  protected static override readonly defaults = { code: 'INVALID_ARGUMENT' } as const;
}

/** 400: the server refused the request as malformed. */
export class BadRequestError extends MomentoError {
  override name = 'BadRequestError';
  protected static override readonly defaults = { code: 'BAD_REQUEST', status: 400 } as const;
}

/** 401, or an API key whose `exp` has passed (code `API_KEY_EXPIRED`, raised before any request). */
export class AuthenticationError extends MomentoError {
  override name = 'AuthenticationError';
  protected static override readonly defaults = { code: 'AUTHENTICATION', status: 401 } as const;
}

/** 403: the key does not grant this operation on this cache, key or store. */
export class PermissionError extends MomentoError {
  override name = 'PermissionError';
  protected static override readonly defaults = { code: 'PERMISSION_DENIED', status: 403 } as const;
}

/** 404 that is not a plain miss: a missing cache, store, cluster or resource. */
export class NotFoundError extends MomentoError {
  override name = 'NotFoundError';
  // Typed wide, not `as const`: the two subclasses below replace its code.
  protected static override readonly defaults: MomentoErrorDetails = {
    code: 'NOT_FOUND',
    status: 404,
  };
}

/** 404 `Cache Not Found`. */
export class CacheNotFoundError extends NotFoundError {
  override name = 'CacheNotFoundError';
  protected static override readonly defaults = { code: 'CACHE_NOT_FOUND', status: 404 } as const;
}

/** 404 `Store Not Found`. */
export class StoreNotFoundError extends NotFoundError {
  override name = 'StoreNotFoundError';
  protected static override readonly defaults = { code: 'STORE_NOT_FOUND', status: 404 } as const;
}

/** 413: key + value over the item limit (5 MB on Momento). */
export class ItemTooLargeError extends MomentoError {
  override name = 'ItemTooLargeError';
  protected static override readonly defaults = { code: 'ITEM_TOO_LARGE', status: 413 } as const;
}

/** 429: an account or store limit was hit. Not retried unless `retryOn429`. */
export class LimitExceededError extends MomentoError {
  override name = 'LimitExceededError';
  /** The server's `Retry-After`, in seconds, when it sent one. */
  readonly retryAfterSeconds: number | undefined;
  protected static override readonly defaults = { code: 'LIMIT_EXCEEDED', status: 429 } as const;
  constructor(
    message: string,
    details: MomentoErrorDetails & { retryAfterSeconds?: number | undefined } = {},
  ) {
    super(message, details);
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/** 5xx from the server. Retried. */
export class ServerError extends MomentoError {
  override name = 'ServerError';
  protected static override readonly defaults = { code: 'SERVER_ERROR', retryable: true } as const;
}

/** The call's deadline (`timeoutMs`, covering every retry) passed. */
export class TimeoutError extends MomentoError {
  override name = 'TimeoutError';
  protected static override readonly defaults = { code: 'TIMEOUT' } as const;
}

/** The request never got an HTTP answer: refused, reset, DNS, TLS. Retried. */
export class ConnectionError extends MomentoError {
  override name = 'ConnectionError';
  protected static override readonly defaults = { code: 'CONNECTION', retryable: true } as const;
}
