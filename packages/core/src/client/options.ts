/** Client options: documented defaults, validated and normalised once. */
import type { ClusterApi } from './clusters';
import { type ApiKeyFormat, resolveCredentials } from './credentials';
import { InvalidArgumentError } from './errors';
import type { ClientHooks } from './hooks';
import type { RequestContext } from './request';
import { type FetchLike, fetchTransport, type Transport } from './transport';

/** TTL used by `set` when the call gives none. Momento's HTTP API has no server-side default. */
export const DEFAULT_TTL_SECONDS = 60;
/** Deadline per call, retries included (Momento's "laptop" profile). */
export const DEFAULT_TIMEOUT_MS = 5000;
/** Extra attempts after the first, for network errors and 5xx (Momento's SDKs use 3). */
export const DEFAULT_RETRIES = 3;

/**
 * The item limit (key + value bytes) `set` checks before sending: the toolkit's one limit
 * (Momento's "5 MB" read as 5,000,000, the smaller reading, as the local server and chunking use).
 * `maxItemBytes` raises it for a service with a larger limit.
 */
import { DEFAULT_MAX_ITEM_BYTES } from '../toolkit/limits';

export { DEFAULT_MAX_ITEM_BYTES };

export interface ClientOptions {
  /**
   * A Momento API key: v1 (base64 JSON), v2 (JWT; needs an endpoint) or legacy (JWT with `c`).
   * @default process.env.MOMENTO_API_KEY
   */
  apiKey?: string;
  /**
   * The full base URL, used as is (e.g. `http://127.0.0.1:4545` for the local server).
   * `https://` to a loopback address throws `InvalidArgumentError`: the local server has no TLS.
   * @default derived from `endpoint`
   */
  baseUrl?: string;
  /**
   * A Momento cell host (`cell-4-us-west-2-1.prod.a.momentohq.com` → `https://api.cache.<host>`),
   * or a URL with a scheme, used as is. The local server needs its scheme
   * (`http://127.0.0.1:4545`): `localhost` or an IP address without one throws
   * `InvalidArgumentError`, as `https://` to a loopback address does. Inside a v1 key (as
   * `momento-http-server key create --v1` writes it), `127.0.0.1:4545` means `http://127.0.0.1:4545`.
   * @default process.env.MOMENTO_ENDPOINT, else the endpoint inside a v1 or legacy key
   */
  endpoint?: string;
  /** @default 60 */
  defaultTtlSeconds?: number;
  /** Deadline for a whole call, retries included. @default 5000 */
  timeoutMs?: number;
  /** Exactly how many extra attempts after a network error or 5xx. @default 3 */
  retries?: number;
  /** Also retry 429, waiting `Retry-After` when the server sends it. @default false */
  retryOn429?: boolean;
  /**
   * `set` refuses a larger key + value with `ItemTooLargeError` without sending it. Raise it for a
   * local server started with a larger `--max-item-size`. @default 5 MiB
   */
  maxItemBytes?: number;
  /**
   * Which cluster control-plane shape `clusters` speaks: the seed document's `PUT/GET/DELETE
   * /cluster…` or `/ec-cluster` (POST and action endpoints, the Terraform provider's shape).
   * @default 'cluster'
   */
  clusterApi?: ClusterApi;
  /** A `fetch` to use instead of the global one (tests, other runtimes). @default globalThis.fetch */
  fetch?: FetchLike;
  /** A whole transport; wins over `fetch`. The Node entry passes an undici one. */
  transport?: Transport;
  /** Metrics and logging hooks. */
  hooks?: ClientHooks;
  /** Where to read `MOMENTO_*` variables. @default globalThis.process?.env */
  env?: Record<string, string | undefined>;
}

export interface NormalizedOptions {
  baseUrl: string;
  clusterApi: ClusterApi;
  defaultTtlSeconds: number;
  maxItemBytes: number;
  keyFormat: ApiKeyFormat;
  context: RequestContext;
}

function nonNegativeInteger(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) {
    throw new InvalidArgumentError(`${name} must be a non-negative integer, got ${value}`);
  }
  return value;
}

function positive(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new InvalidArgumentError(`${name} must be a positive number, got ${value}`);
  }
  return value;
}

function clusterApi(value: ClusterApi | undefined): ClusterApi {
  if (value === undefined || value === 'cluster' || value === 'ec-cluster')
    return value ?? 'cluster';
  throw new InvalidArgumentError(`clusterApi must be 'cluster' or 'ec-cluster', got ${value}`);
}

/** Validates a TTL: a whole number of seconds, at least 1. */
export function checkTtl(ttlSeconds: number, name = 'ttlSeconds'): number {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) {
    throw new InvalidArgumentError(`${name} must be an integer of at least 1, got ${ttlSeconds}`);
  }
  return ttlSeconds;
}

/** Reads the options (never mutating them) and the environment into one fixed configuration. */
export function normalizeOptions(options: ClientOptions = {}): NormalizedOptions {
  const env =
    options.env ?? (globalThis as { process?: { env?: Record<string, string> } }).process?.env;
  const credentials = resolveCredentials({
    apiKey: options.apiKey,
    baseUrl: options.baseUrl,
    endpoint: options.endpoint,
    env,
  });
  const transport = options.transport ?? fetchTransport(options.fetch);
  return {
    baseUrl: credentials.baseUrl,
    defaultTtlSeconds: checkTtl(
      options.defaultTtlSeconds ?? DEFAULT_TTL_SECONDS,
      'defaultTtlSeconds',
    ),
    maxItemBytes: positive(options.maxItemBytes, 'maxItemBytes', DEFAULT_MAX_ITEM_BYTES),
    clusterApi: clusterApi(options.clusterApi),
    keyFormat: credentials.format,
    context: {
      transport,
      headers: Object.freeze({ authorization: credentials.token }) as Record<string, string>,
      expiresAtMs: credentials.expiresAtMs,
      timeoutMs: positive(options.timeoutMs, 'timeoutMs', DEFAULT_TIMEOUT_MS),
      retries: nonNegativeInteger(options.retries, 'retries', DEFAULT_RETRIES),
      retryOn429: options.retryOn429 ?? false,
      hooks: { ...options.hooks },
    },
  };
}
