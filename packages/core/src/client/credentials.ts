/**
 * Turns a Momento API key (v1, v2 or legacy) plus optional endpoint into the token to send and
 * the HTTP base URL. Nothing is verified here (like Momento's SDKs, only claims are read), except
 * that an expired key is reported before any request.
 */
import { AuthenticationError, InvalidArgumentError } from './errors';
import { fromBase64 } from './keys';

/** Which of Momento's three credential formats a key is in. */
export type ApiKeyFormat = 'v1' | 'v2' | 'legacy' | 'opaque';

export interface ResolvedCredentials {
  /** The raw token for the `Authorization` header (for v1 keys, the inner `api_key`). */
  token: string;
  format: ApiKeyFormat;
  /** `exp` claim in ms since the epoch, when the key has one. */
  expiresAtMs: number | undefined;
  /** The base URL without a trailing slash. */
  baseUrl: string;
}

export interface CredentialInput {
  apiKey?: string | undefined;
  baseUrl?: string | undefined;
  endpoint?: string | undefined;
  env?: Record<string, string | undefined> | undefined;
}

interface ParsedKey {
  token: string;
  format: ApiKeyFormat;
  claims: Record<string, unknown> | undefined;
  /** The endpoint carried by the key itself (v1 `endpoint`, legacy `c`). */
  endpoint: string | undefined;
}

const decoder = new TextDecoder();

function jwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const claims: unknown = JSON.parse(decoder.decode(fromBase64(parts[1])));
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function isStandardBase64(text: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) return false;
  try {
    return btoa(atob(text)) === text;
  } catch {
    return false;
  }
}

/** Reads a key the way Momento's SDKs do: base64 JSON is v1; a JWT with `t: "g"` is v2; else legacy. */
export function parseApiKey(apiKey: string): ParsedKey {
  const key = apiKey.trim();
  if (isStandardBase64(key)) {
    let json: unknown;
    try {
      json = JSON.parse(decoder.decode(fromBase64(key)));
    } catch {
      json = undefined;
    }
    const v1 = json as { api_key?: unknown; endpoint?: unknown } | undefined;
    if (!v1 || typeof v1.api_key !== 'string' || typeof v1.endpoint !== 'string') {
      throw new InvalidArgumentError(
        'API key looks like a v1 key (base64) but does not decode to {"api_key", "endpoint"}',
      );
    }
    return {
      token: v1.api_key,
      format: 'v1',
      claims: jwtClaims(v1.api_key),
      endpoint: v1.endpoint,
    };
  }
  const claims = jwtClaims(key);
  if (!claims) return { token: key, format: 'opaque', claims: undefined, endpoint: undefined };
  if (claims.t === 'g') return { token: key, format: 'v2', claims, endpoint: undefined };
  const legacyHost = typeof claims.c === 'string' ? claims.c : undefined;
  return {
    token: key,
    format: legacyHost ? 'legacy' : 'opaque',
    claims,
    endpoint: legacyHost,
  };
}

/**
 * The HTTP base URL for an endpoint. With a scheme it is used as is (the local server);
 * otherwise it is a Momento cell host and becomes `https://api.cache.<cell>`.
 */
export function baseUrlFor(endpoint: string): string {
  const value = endpoint.trim().replace(/\/+$/, '');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  if (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(value)) {
    throw new InvalidArgumentError(`Endpoint "${value}" is not a host name or a URL`);
  }
  // A legacy `c` claim is already `cache.<cell>`; some users paste the full `api.cache.<cell>`.
  if (value.startsWith('api.cache.')) return `https://${value}`;
  if (value.startsWith('cache.')) return `https://api.${value}`;
  return `https://api.cache.${value}`;
}

/**
 * Resolves the token and base URL. Precedence for the URL: `baseUrl`, then `endpoint`, then
 * `MOMENTO_ENDPOINT`, then the endpoint inside the key (v1, legacy).
 */
export function resolveCredentials(input: CredentialInput): ResolvedCredentials {
  const env = input.env ?? {};
  const apiKey = input.apiKey ?? env.MOMENTO_API_KEY;
  if (!apiKey || apiKey.trim() === '') {
    throw new InvalidArgumentError(
      'No API key: pass `apiKey` or set MOMENTO_API_KEY (and MOMENTO_ENDPOINT for v2 keys)',
    );
  }
  const parsed = parseApiKey(apiKey);
  const endpoint = input.endpoint ?? env.MOMENTO_ENDPOINT ?? parsed.endpoint;
  let baseUrl: string;
  if (input.baseUrl) {
    baseUrl = input.baseUrl.trim().replace(/\/+$/, '');
    try {
      new URL(baseUrl);
    } catch {
      throw new InvalidArgumentError(`baseUrl "${baseUrl}" is not an absolute URL`);
    }
  } else if (endpoint) {
    baseUrl = baseUrlFor(endpoint);
  } else {
    throw new InvalidArgumentError(
      `No endpoint for this ${parsed.format} API key: pass \`endpoint\` or \`baseUrl\`, or set MOMENTO_ENDPOINT`,
    );
  }
  const exp = parsed.claims?.exp;
  return {
    token: parsed.token,
    format: parsed.format,
    expiresAtMs: typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined,
    baseUrl,
  };
}

/** Throws before any request when the key's `exp` has passed. */
export function assertNotExpired(expiresAtMs: number | undefined, now?: number): void {
  if (expiresAtMs !== undefined && (now ?? Date.now()) >= expiresAtMs) {
    throw new AuthenticationError(
      `The API key expired at ${new Date(expiresAtMs).toISOString()}; create a new one`,
      { code: 'API_KEY_EXPIRED', status: undefined },
    );
  }
}
