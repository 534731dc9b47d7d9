/**
 * Turns an error from a cache call into words a user can act on: the likely cause and what to do.
 * Built from core's typed errors, so every adapter explains a failure the same way. Never prints
 * a token or a key: of an error's URL it uses only the host and the cache name.
 */
import {
  AuthenticationError,
  BadRequestError,
  CacheNotFoundError,
  ConnectionError,
  InvalidArgumentError,
  ItemTooLargeError,
  LimitExceededError,
  MomentoError,
  PermissionError,
  ServerError,
  StoreNotFoundError,
  TimeoutError,
} from '../client/errors';
import { ChunkingError, EnvelopeError } from './errors';
import { NamespaceGenerationError } from './namespace-generation';
import { TagStateError } from './tags';

/** One failure explained. */
export interface FailureDiagnosis {
  /** Same for every failure with the same cause (error code, status, cache name): report once. */
  key: string;
  /** The error's class name, e.g. `CacheNotFoundError`. */
  errorName: string;
  /** The likely cause, in words. */
  cause: string;
  /** What to do about it. */
  fix: string;
}

/** Where the failing call went, read from the error's URL (host and cache name only). */
interface Target {
  host: string | undefined;
  cacheName: string | undefined;
}

const STORED_VALUE_FAILED =
  'a stored value failed its check and was read as a miss (truncated, altered in transit, or written by something else)';
const STORED_VALUE_FIX =
  'nothing if it is rare (the value is fetched again and rewritten); if it repeats, look for another program writing the same keys, or a proxy altering response bodies';

/**
 * Explains `error`. `cacheName` names the cache when the error does not say (a deadline that
 * passed before any answer carries no URL).
 */
export function diagnoseFailure(error: unknown, cacheName?: string): FailureDiagnosis {
  const typed = knownError(error);
  const target = targetOf(typed, cacheName);
  const cache = target.cacheName === undefined ? 'the cache' : `cache '${target.cacheName}'`;
  const server =
    target.host === undefined ? 'the cache server' : `the cache server at ${target.host}`;
  const { cause, fix } = explain(typed, cache, server);
  const code = codeOf(typed);
  const status = typed instanceof MomentoError ? (typed.status ?? '') : '';
  return {
    key: `${code}|${status}|${target.cacheName ?? ''}`,
    errorName: typed instanceof Error ? typed.name : typeof typed,
    cause,
    fix,
  };
}

function explain(error: unknown, cache: string, server: string): { cause: string; fix: string } {
  if (error instanceof CacheNotFoundError) {
    return {
      cause: `${cache} does not exist`,
      fix: 'create it in the Momento console, or set MOMENTO_CACHE_NAME (or the cacheName option) to a cache that exists',
    };
  }
  if (error instanceof StoreNotFoundError) {
    return {
      cause: 'the object store does not exist',
      fix: 'create it, or name one that exists',
    };
  }
  if (error instanceof AuthenticationError) {
    return error.code === 'API_KEY_EXPIRED'
      ? { cause: 'the API key has expired', fix: 'set MOMENTO_API_KEY to a new key' }
      : {
          cause: `${server} refused the API key (wrong, revoked or expired)`,
          fix: 'set MOMENTO_API_KEY to a valid key made for this endpoint',
        };
  }
  if (error instanceof PermissionError) {
    return {
      cause: `the API key lacks the right to this operation on ${cache}`,
      fix: 'use a key that can read and write this cache',
    };
  }
  if (error instanceof ConnectionError) {
    return {
      cause: `${server} could not be reached (down, a wrong endpoint, or the network)`,
      fix: 'start the server or check MOMENTO_ENDPOINT and the endpoint inside the API key',
    };
  }
  if (error instanceof TimeoutError) {
    return {
      cause: `${server} did not answer in time (down, overloaded or unreachable)`,
      fix: 'check that the server is up and reachable; raise the timeout option only if it is merely slow',
    };
  }
  if (error instanceof ServerError) {
    return {
      cause: `${server} answered with a server error (5xx)`,
      fix: 'usually transient (calls are retried); if it persists, check the server',
    };
  }
  if (error instanceof LimitExceededError) {
    return {
      cause: `${server} refused calls over an account or cache limit (429)`,
      fix: 'lower the request rate, or raise the limit for the account',
    };
  }
  if (error instanceof ItemTooLargeError) {
    return {
      cause: 'a value was over the item limit and was not stored',
      fix: 'cache smaller values, or keep chunking on (the maxItemBytes option)',
    };
  }
  if (error instanceof BadRequestError) {
    return {
      cause: `${server} refused a request as malformed (400): ${error.message}`,
      fix: 'report it as a bug in momento-http, with this message',
    };
  }
  if (error instanceof InvalidArgumentError) {
    return { cause: error.message, fix: 'fix the configuration as the message says' };
  }
  if (error instanceof ChunkingError && error.code === 'MISSING_CHUNK') {
    return {
      cause:
        'a part of a large value was evicted or expired before the value did; it was read as a miss',
      fix: 'nothing, if it is rare; if it repeats, the cache is evicting: give it more memory',
    };
  }
  if (error instanceof EnvelopeError && error.code === 'UNSUPPORTED_VERSION') {
    return {
      cause: 'a stored value was written by another version of momento-http and was read as a miss',
      fix: 'nothing: it is rewritten in this version’s format',
    };
  }
  if (error instanceof EnvelopeError && !isReadSide(error)) {
    return {
      cause: `a value could not be stored: ${error.message}`,
      fix: 'cache only values the codec carries (JSON-like data, bytes, dates, maps, sets)',
    };
  }
  if (
    error instanceof EnvelopeError ||
    error instanceof ChunkingError ||
    error instanceof NamespaceGenerationError ||
    error instanceof TagStateError
  ) {
    return { cause: STORED_VALUE_FAILED, fix: STORED_VALUE_FIX };
  }
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return {
    cause: `an unexpected error: ${what}`,
    fix: 'report it as a bug in momento-http, with the stack (route it with onError to log it)',
  };
}

/** Encoding errors happen on a write; the others describe bytes that were read. */
function isReadSide(error: EnvelopeError): boolean {
  return !['UNSUPPORTED_TYPE', 'CIRCULAR', 'TOO_DEEP'].includes(error.code);
}

/** The error itself when core knows it, else the first known error in its `cause` chain. */
function knownError(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    if (isKnown(current)) return current;
    current = current.cause;
  }
  return error;
}

function isKnown(error: Error): boolean {
  return (
    error instanceof MomentoError ||
    error instanceof EnvelopeError ||
    error instanceof ChunkingError ||
    error instanceof NamespaceGenerationError ||
    error instanceof TagStateError
  );
}

function codeOf(error: unknown): string {
  if (error instanceof MomentoError || error instanceof EnvelopeError) return error.code;
  if (error instanceof ChunkingError) return `CHUNK_${error.code}`;
  if (error instanceof Error) return error.name;
  return typeof error;
}

function targetOf(error: unknown, fallbackCacheName: string | undefined): Target {
  const where = urlOf(error);
  if (where === undefined) return { host: undefined, cacheName: fallbackCacheName };
  try {
    const url = new URL(where);
    const match = /^\/cache\/([^/]+)/.exec(url.pathname);
    return {
      host: url.host,
      cacheName: match ? decodeURIComponent(match[1]!) : fallbackCacheName,
    };
  } catch {
    return { host: undefined, cacheName: fallbackCacheName };
  }
}

/**
 * The URL of the failed call: the error's own, or that of the error it wraps (an adapter may
 * rethrow a core error under a message naming the user's key, its URL kept only in `cause`).
 */
function urlOf(error: unknown): string | undefined {
  let current = error;
  for (let depth = 0; depth < 4 && current instanceof MomentoError; depth++) {
    if (current.url !== undefined) return current.url;
    current = current.cause;
  }
  return undefined;
}
