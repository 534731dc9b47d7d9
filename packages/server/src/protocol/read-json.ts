import { type ProtocolRequest, type ProtocolResponse, text } from './types.js';

/** Control-plane bodies are small JSON documents. */
export const MAX_JSON_BYTES = 64 * 1024;

/** Reads a JSON object body. A wrapper, never a union with the response: a body may well have `status`. */
export async function readJson(
  req: ProtocolRequest,
): Promise<{ json: Record<string, unknown> } | { error: ProtocolResponse }> {
  const body = await req.readBody(MAX_JSON_BYTES);
  if (body === undefined)
    return { error: { ...text(413, 'Request body too large'), bodyUnread: true } };
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return { json: value as Record<string, unknown> };
    }
  } catch {}
  return { error: text(400, 'The body must be a JSON object') };
}

/** A JSON object (not an array, not null). */
export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
