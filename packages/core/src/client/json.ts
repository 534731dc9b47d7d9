/** JSON request bodies and responses for the control planes. */
import { MomentoError } from './errors';
import type { TransportResponse } from './transport';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function jsonBody(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

/** Headers for a JSON request: the auth headers plus the content type. */
export function jsonHeaders(base: Record<string, string>): Record<string, string> {
  return { ...base, 'content-type': 'application/json' };
}

/** Parses a JSON response body; a body that is not JSON is a `MomentoError` naming the call. */
export function readJson<T>(response: TransportResponse, method: string, url: string): T {
  try {
    return JSON.parse(decoder.decode(response.body)) as T;
  } catch (cause) {
    throw new MomentoError(`Expected a JSON response [${response.status}]`, {
      status: response.status,
      method,
      url,
      cause,
    });
  }
}
