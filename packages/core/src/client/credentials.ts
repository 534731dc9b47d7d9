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

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
/** A host name or IP literal (IPv6 in brackets) with an optional port, and no scheme. */
const HOST_AND_PORT = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d+)?$/;

/**
 * Whether `host` can only be a server of the user's own: `localhost` or an IP literal. A Momento
 * cell is always a DNS name, so no such endpoint is ever meant as `https://api.cache.<host>`.
 */
function isOwnServerHost(host: string): boolean {
  const name = host.toLowerCase();
  return (
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    /^\d{1,3}(\.\d{1,3}){3}$/.test(name) ||
    name.startsWith('[')
  );
}

/** Loopback hosts: where the local server (plain HTTP only, it has no TLS) listens. */
function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase();
  return (
    name === 'localhost' || name.endsWith('.localhost') || /^127\./.test(name) || name === '[::1]'
  );
}

/**
 * Rejects `https://` to a loopback host: the local server speaks plain HTTP, and the TLS
 * handshake would fail on every request as a retried, puzzling "SSL record" network error.
 */
function checkUrl(url: string, what: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidArgumentError(`${what} "${url}" is not an absolute URL`);
  }
  if (parsed.protocol === 'https:' && isLoopbackHost(parsed.hostname)) {
    throw new InvalidArgumentError(
      `${what} "${url}" asks for TLS, but the local server speaks plain HTTP: ` +
        `the local server is http://${parsed.host}`,
    );
  }
  return url;
}

/**
 * The base URL for a scheme-less endpoint: a Momento cell host becomes `https://api.cache.<cell>`.
 * `localhost` or an IP address is the user's own server, which `https://api.cache.` would only
 * turn into an unreachable URL: for an endpoint the user set, the error names the fix; for one
 * inside a key (`key create --v1` writes `127.0.0.1:4545`), `http://` is the only reading.
 */
function cellBaseUrl(value: string, what: string, fromKey: boolean): string {
  const match = HOST_AND_PORT.exec(value);
  if (!match) throw new InvalidArgumentError(`${what} "${value}" is not a host name or a URL`);
  if (isOwnServerHost(match[1] as string)) {
    if (fromKey) return checkUrl(`http://${value}`, what);
    throw new InvalidArgumentError(
      `${what} "${value}" has no scheme, so it would be read as a Momento cell host ` +
        `(https://api.cache.${value}). The local server is http://${value}: set that instead.`,
    );
  }
  // A legacy `c` claim is already `cache.<cell>`; some users paste the full `api.cache.<cell>`.
  if (value.startsWith('api.cache.')) return `https://${value}`;
  if (value.startsWith('cache.')) return `https://api.${value}`;
  return `https://api.cache.${value}`;
}

function endpointBaseUrl(endpoint: string, what: string, fromKey: boolean): string {
  const value = endpoint.trim().replace(/\/+$/, '');
  return SCHEME.test(value) ? checkUrl(value, what) : cellBaseUrl(value, what, fromKey);
}

/**
 * The HTTP base URL for an endpoint. With a scheme it is used as is (the local server, whose
 * URL is `http://`); a Momento cell host becomes `https://api.cache.<cell>`. An endpoint that
 * names the user's own server without `http://`, or with `https://` to a loopback address, is an
 * `InvalidArgumentError` that says what to write instead.
 */
export function baseUrlFor(endpoint: string): string {
  return endpointBaseUrl(endpoint, 'Endpoint', false);
}

/** The endpoint that applies (option, then environment, then key), named for error messages. */
function chosenEndpoint(
  input: CredentialInput,
  env: Record<string, string | undefined>,
  parsed: ParsedKey,
): { value: string | undefined; what: string; fromKey: boolean } {
  if (input.endpoint !== undefined)
    return { value: input.endpoint, what: 'endpoint', fromKey: false };
  if (env.MOMENTO_ENDPOINT !== undefined)
    return { value: env.MOMENTO_ENDPOINT, what: 'MOMENTO_ENDPOINT', fromKey: false };
  const what = `The endpoint in this ${parsed.format} API key`;
  return { value: parsed.endpoint, what, fromKey: true };
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
  const endpoint = chosenEndpoint(input, env, parsed);
  let baseUrl: string;
  if (input.baseUrl) {
    baseUrl = checkUrl(input.baseUrl.trim().replace(/\/+$/, ''), 'baseUrl');
  } else if (endpoint.value) {
    baseUrl = endpointBaseUrl(endpoint.value, endpoint.what, endpoint.fromKey);
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
