/** Maps an HTTP error response to the typed error family. */
import {
  AuthenticationError,
  BadRequestError,
  CacheNotFoundError,
  ItemTooLargeError,
  LimitExceededError,
  MomentoError,
  type MomentoErrorDetails,
  NotFoundError,
  PermissionError,
  ServerError,
  StoreNotFoundError,
} from './errors';
import { parseRetryAfter } from './retry';
import type { TransportResponse } from './transport';

const decoder = new TextDecoder();
const MAX_MESSAGE_CHARS = 300;

/** The server's explanation: `{"message": …}` (object store) or plain text (cache API). */
export function responseMessage(response: TransportResponse): string {
  const text = decoder.decode(response.body.subarray(0, 4096)).trim();
  if (text.startsWith('{')) {
    try {
      const json = JSON.parse(text) as { message?: unknown; error?: unknown };
      const message = json.message ?? json.error;
      if (typeof message === 'string') return message.slice(0, MAX_MESSAGE_CHARS);
    } catch {
      // not JSON after all: use the text
    }
  }
  return text.slice(0, MAX_MESSAGE_CHARS);
}

/**
 * Whether a 404 is a plain miss (`Key Not Found`, `Object not found.`) rather than a missing cache
 * or store. Checked before building any error: misses are hot, and an Error captures a stack.
 */
export function isPlainMiss(response: TransportResponse): boolean {
  if (response.status !== 404) return false;
  const text = decoder.decode(response.body.subarray(0, 256));
  return !/(?:cache|store) not found/i.test(text);
}

/** Removes anything secret-looking from a URL before it goes into an error. */
export function redactUrl(url: string): string {
  if (!url.includes('@') && !url.includes('token=')) return url;
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    if (parsed.searchParams.has('token')) parsed.searchParams.set('token', 'REDACTED');
    return parsed.toString();
  } catch {
    return '[unparseable URL]';
  }
}

/** The error for a response with status >= 300. `retryOn429` makes 429 retryable. */
export function errorFromResponse(
  response: TransportResponse,
  method: string,
  url: string,
  retryOn429: boolean,
): MomentoError {
  const status = response.status;
  const text = responseMessage(response);
  const details: MomentoErrorDetails = { status, method, url: redactUrl(url) };
  const say = (fallback: string) => (text ? `${text} [${status}]` : `${fallback} [${status}]`);
  switch (status) {
    case 400:
      return new BadRequestError(say('Bad request'), details);
    case 401:
      return new AuthenticationError(
        say('Authentication failed: invalid or expired API key'),
        details,
      );
    case 403:
      return new PermissionError(say('The API key does not permit this operation'), details);
    case 404:
      if (/cache not found/i.test(text))
        return new CacheNotFoundError(say('Cache not found'), details);
      if (/store not found/i.test(text))
        return new StoreNotFoundError(say('Store not found'), details);
      return new NotFoundError(say('Not found'), details);
    case 413:
      return new ItemTooLargeError(say('Item too large'), details);
    case 429:
      return new LimitExceededError(say('Limit exceeded'), {
        ...details,
        retryable: retryOn429,
        retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after')),
      });
  }
  if (status >= 500) return new ServerError(say('Server error'), details);
  return new MomentoError(say('Unexpected response'), details);
}
