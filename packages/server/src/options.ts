/** Default port of the local server (`momento-http-server`). */
export const DEFAULT_PORT = 4545;
/** Loopback only unless told otherwise. */
export const DEFAULT_HOST = '127.0.0.1';
/** The cache every server has unless `caches` says otherwise. */
export const DEFAULT_CACHE = 'default-cache';
/**
 * Momento's item limit, key bytes + value bytes: "5 MB", read as 5,000,000 (the stricter reading,
 * so what fits here fits on Momento). The same value as core's `DEFAULT_MAX_ITEM_BYTES`; the server
 * does not depend on core, so it is repeated here.
 */
export const DEFAULT_MAX_ITEM_BYTES = 5_000_000;
/** Local decision: the largest object-store object (64 MiB). */
export const DEFAULT_MAX_OBJECT_BYTES = 64 * 1024 * 1024;
/** Momento on-demand maximum TTL (24 h); core's `DEFAULT_MAX_TTL_SECONDS`, repeated (no core dependency). */
export const DEFAULT_MAX_TTL_SECONDS = 86_400;
/** Local decision: the longest key accepted, in bytes. */
export const MAX_KEY_BYTES = 4096;
/** Headers must arrive within this time (slow-loris guard). */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
/** The whole request (headers and body) must arrive within this time. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Messages a topic keeps for subscribers that fall behind. */
export const DEFAULT_TOPIC_BUFFER_MESSAGES = 1000;
/** How long a topic long poll is held before an empty answer (clients then poll again). */
export const DEFAULT_TOPIC_LONG_POLL_MS = 30_000;

/** Options of {@link startServer} and {@link createHandler}. The object you pass is never mutated. */
export interface ServerOptions {
  /** Port to listen on; 0 picks a free one. @default 4545 */
  port?: number;
  /** Interface to bind. Anything but loopback must be asked for explicitly. @default '127.0.0.1' */
  host?: string;
  /** Caches that exist. @default ['default-cache'] */
  caches?: string[];
  /** Create a cache on first use instead of answering 404 `Cache Not Found`. @default false */
  autoCreateCaches?: boolean;
  /** A fixed super-user key accepted verbatim (only when bound to loopback). @default undefined */
  devKey?: string;
  /** Secret that signs and verifies API keys (HS256). @default random per process, or persisted in `dataDir` */
  signingSecret?: string | Uint8Array;
  /** Redis/Valkey URL for cache items, so several servers share one dataset. @default undefined (memory) */
  redisUrl?: string;
  /**
   * A Redis/Valkey Cluster for cache items instead: some of its nodes as `host:port` (an array, or
   * one comma-separated string); the rest are discovered. Excludes `redisUrl`. @default undefined
   */
  redisCluster?: string | string[];
  /** Directory for object bodies, control-plane state and the signing secret. @default undefined (memory) */
  dataDir?: string;
  /** Memory bound for cache items in memory mode; least recently used items are evicted. @default unbounded */
  maxMemoryBytes?: number;
  /** Largest item, key + value bytes. @default 5_000_000 (Momento's 5 MB) */
  maxItemBytes?: number;
  /** Largest `ttl_seconds`. @default 86400 */
  maxTtlSeconds?: number;
  /** Largest object-store object. @default 64 MiB */
  maxObjectBytes?: number;
  /** Token-bucket limit over all data-plane requests; 429 with `Retry-After` beyond it. @default off */
  rateLimit?: { opsPerSecond: number; burst?: number };
  /** Enable fault injection (`server.faults` and `/_faults`). @default false */
  faults?: boolean;
  /** Request log sink (one line per request, never a token). @default off */
  log?: boolean | ((line: string) => void);
  /** Headers must arrive within this many ms. @default 10000 */
  headersTimeoutMs?: number;
  /** The whole request must arrive within this many ms. @default 30000 */
  requestTimeoutMs?: number;
  /** Delay before a new cluster turns from `Creating` to `Active`, in ms. @default 1000 */
  clusterActivationMs?: number;
  /**
   * Messages each topic keeps for subscribers that fall behind; an older one is gone, and asking
   * for it earns a discontinuity. @default 1000
   */
  topicBufferMessages?: number;
  /** How long a topic long poll waits for a message before answering `{"items":[]}`, in ms. @default 30000 */
  topicLongPollMs?: number;
}

/** Options after defaults and validation. */
export interface ResolvedOptions {
  port: number;
  host: string;
  caches: string[];
  autoCreateCaches: boolean;
  devKey: string | undefined;
  signingSecret: Buffer | undefined;
  redisUrl: string | undefined;
  redisCluster: { host: string; port: number }[] | undefined;
  dataDir: string | undefined;
  maxMemoryBytes: number;
  maxItemBytes: number;
  maxTtlSeconds: number;
  maxObjectBytes: number;
  rateLimit: { opsPerSecond: number; burst: number } | undefined;
  faults: boolean;
  log: ((line: string) => void) | undefined;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  clusterActivationMs: number;
  topicBufferMessages: number;
  topicLongPollMs: number;
}

/** Thrown for invalid server options. */
export class ServerOptionsError extends Error {
  override name = 'ServerOptionsError';
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);

/** True for hosts that only this machine can reach. */
export const isLoopback = (host: string): boolean => LOOPBACK.has(host) || host.startsWith('127.');

const NAME = /^[A-Za-z0-9_.-]{1,255}$/;

/** Cache, store and cluster names: local decision, 1–255 of letters, digits, `_`, `-`, `.` (not `.`/`..`). */
export const isValidName = (name: string): boolean =>
  NAME.test(name) && name !== '.' && name !== '..';

const positiveInt = (name: string, value: number | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new ServerOptionsError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
};

/** Normalises options once: defaults, validation, no mutation of the input. */
export function resolveOptions(options: ServerOptions = {}): ResolvedOptions {
  const host = options.host ?? DEFAULT_HOST;
  const port = options.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ServerOptionsError(`port must be 0..65535, got ${port}`);
  }
  const caches = [...(options.caches ?? [DEFAULT_CACHE])];
  for (const name of caches) {
    if (!isValidName(name))
      throw new ServerOptionsError(`invalid cache name: ${JSON.stringify(name)}`);
  }
  if (options.devKey !== undefined) {
    if (options.devKey.length < 8)
      throw new ServerOptionsError('devKey must be at least 8 characters');
    if (!isLoopback(host)) {
      throw new ServerOptionsError(`devKey is only allowed on a loopback host, not ${host}`);
    }
  }
  const secret = options.signingSecret;
  const rate = options.rateLimit;
  const log = options.log;
  return {
    port,
    host,
    caches,
    autoCreateCaches: options.autoCreateCaches ?? false,
    devKey: options.devKey,
    signingSecret:
      secret === undefined
        ? undefined
        : typeof secret === 'string'
          ? Buffer.from(secret)
          : Buffer.from(secret),
    redisUrl: options.redisUrl,
    redisCluster: clusterNodes(options.redisCluster, options.redisUrl),
    dataDir: options.dataDir,
    maxMemoryBytes: positiveInt('maxMemoryBytes', options.maxMemoryBytes, Number.POSITIVE_INFINITY),
    maxItemBytes: positiveInt('maxItemBytes', options.maxItemBytes, DEFAULT_MAX_ITEM_BYTES),
    maxTtlSeconds: positiveInt('maxTtlSeconds', options.maxTtlSeconds, DEFAULT_MAX_TTL_SECONDS),
    maxObjectBytes: positiveInt('maxObjectBytes', options.maxObjectBytes, DEFAULT_MAX_OBJECT_BYTES),
    rateLimit: rate
      ? {
          opsPerSecond: positiveInt('rateLimit.opsPerSecond', rate.opsPerSecond, 1),
          burst: positiveInt('rateLimit.burst', rate.burst, rate.opsPerSecond),
        }
      : undefined,
    faults: options.faults ?? false,
    log: log === true ? (line) => process.stderr.write(`${line}\n`) : log || undefined,
    headersTimeoutMs: positiveInt(
      'headersTimeoutMs',
      options.headersTimeoutMs,
      DEFAULT_HEADERS_TIMEOUT_MS,
    ),
    requestTimeoutMs: positiveInt(
      'requestTimeoutMs',
      options.requestTimeoutMs,
      DEFAULT_REQUEST_TIMEOUT_MS,
    ),
    clusterActivationMs: options.clusterActivationMs ?? 1000,
    topicBufferMessages: positiveInt(
      'topicBufferMessages',
      options.topicBufferMessages,
      DEFAULT_TOPIC_BUFFER_MESSAGES,
    ),
    topicLongPollMs: positiveInt(
      'topicLongPollMs',
      options.topicLongPollMs,
      DEFAULT_TOPIC_LONG_POLL_MS,
    ),
  };
}

const NODE = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s,[\]]+)):(\d{1,5})$/;

/** `host:port[,host:port…]` (or an array of them) → nodes; `[::1]:7000` for IPv6. */
function clusterNodes(
  value: string | string[] | undefined,
  redisUrl: string | undefined,
): { host: string; port: number }[] | undefined {
  if (value === undefined) return undefined;
  if (redisUrl !== undefined) {
    throw new ServerOptionsError('redisCluster and redisUrl exclude each other: give one');
  }
  const entries = (Array.isArray(value) ? value : value.split(','))
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0)
    throw new ServerOptionsError('redisCluster needs at least one host:port');
  return entries.map((entry) => {
    const m = NODE.exec(entry);
    const port = Number(m?.[3]);
    if (!m || port < 1 || port > 65535) {
      throw new ServerOptionsError(
        `redisCluster: expected host:port, got ${JSON.stringify(entry)}`,
      );
    }
    return { host: (m[1] ?? m[2])!, port };
  });
}
