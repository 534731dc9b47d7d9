import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type CacheRole, DEFAULT_PORT, type ServerOptions } from '../index.js';

/** Every flag, for parsing and for `--help` (one source, so help never drifts). */
export const FLAGS = {
  port: {
    type: 'string',
    help: `port to listen on (0 = any free port)`,
    def: String(DEFAULT_PORT),
  },
  host: {
    type: 'string',
    help: 'interface to bind; anything but loopback exposes the server',
    def: '127.0.0.1',
  },
  cache: {
    type: 'string',
    multiple: true,
    help: 'a cache that exists (repeatable)',
    def: 'default-cache',
  },
  config: { type: 'string', help: 'JSON file with the same settings (flags win)', def: '' },
  'auto-create-caches': {
    type: 'boolean',
    help: 'create caches on first use instead of 404',
    def: 'off',
  },
  'redis-url': {
    type: 'string',
    help: 'store cache items in Redis/Valkey (shared by several servers)',
    def: 'memory',
  },
  'redis-cluster': {
    type: 'string',
    help: 'store cache items in a Redis/Valkey Cluster: host:port[,host:port…]',
    def: 'none',
  },
  'data-dir': {
    type: 'string',
    help: 'keep object bodies, control plane and signing secret here',
    def: 'memory',
  },
  'max-memory': {
    type: 'string',
    help: 'memory bound for cache items, LRU eviction (e.g. 256mb)',
    def: 'unbounded',
  },
  'max-item-size': { type: 'string', help: 'largest item, key + value (e.g. 5mb)', def: '5mb' },
  'max-ttl': { type: 'string', help: 'largest ttl_seconds', def: '86400' },
  'rate-limit': {
    type: 'string',
    help: 'data-plane requests per second; 429 + Retry-After beyond',
    def: 'off',
  },
  'topic-buffer': {
    type: 'string',
    help: 'messages each topic keeps for subscribers that fall behind',
    def: '1000',
  },
  'topic-long-poll': {
    type: 'string',
    help: 'ms a topic long poll waits before an empty answer',
    def: '30000',
  },
  faults: { type: 'boolean', help: 'enable fault injection (POST/DELETE /_faults)', def: 'off' },
  log: { type: 'boolean', help: 'log one line per request to stderr (never tokens)', def: 'off' },
  'dev-key': { type: 'string', help: 'accept this fixed super-user key (loopback only)', def: '' },
  secret: {
    type: 'string',
    help: 'signing secret for API keys (or MOMENTO_HTTP_SERVER_SECRET)',
    def: 'kept in $XDG_STATE_HOME/momento-http-server',
  },
  help: { type: 'boolean', short: 'h', help: 'show this help', def: '' },
  version: { type: 'boolean', help: 'print the version', def: '' },
} as const;

/** Flags of `momento-http-server key create`. */
export const KEY_FLAGS = {
  role: {
    type: 'string',
    help: 'readwrite | readonly | writeonly (omit for a super-user key)',
    def: 'super-user',
  },
  cache: { type: 'string', help: 'restrict to one cache', def: 'all caches' },
  'key-prefix': {
    type: 'string',
    help: 'restrict to keys starting with this prefix',
    def: 'all keys',
  },
  'object-store': {
    type: 'string',
    help: 'a key for this one object store instead of caches (needs --role)',
    def: 'none',
  },
  'expires-in': {
    type: 'string',
    help: "lifetime, e.g. 3600, 90m, 12h, 7d, or 'never'",
    def: '24h',
  },
  secret: { type: 'string', help: 'signing secret (or MOMENTO_HTTP_SERVER_SECRET)', def: '' },
  'data-dir': {
    type: 'string',
    help: "use the secret persisted in the server's data dir",
    def: 'the default secret file',
  },
  v1: { type: 'boolean', help: 'print the v1 form base64({api_key, endpoint}) instead', def: '' },
  endpoint: { type: 'string', help: 'endpoint for --v1', def: '127.0.0.1:4545' },
  help: { type: 'boolean', short: 'h', help: 'show this help', def: '' },
} as const;

/** Bad command line: printed as one line, exit code 2. */
export class UsageError extends Error {}

const strip = <T extends Record<string, { help: string; def: string }>>(flags: T) =>
  Object.fromEntries(
    Object.entries(flags).map(([k, { help: _h, def: _d, ...rest }]) => [k, rest]),
  ) as {
    [K in keyof T]: Omit<T[K], 'help' | 'def'>;
  };

export function helpText(): string {
  const row = (name: string, f: { help: string; def: string; type: string }) =>
    `  --${name}${f.type === 'string' ? ' <value>' : ''}`.padEnd(30) +
    f.help +
    (f.def ? ` (default: ${f.def})` : '');
  return [
    'momento-http-server — a local Momento-compatible HTTP server',
    '',
    'Usage:',
    '  momento-http-server [options]',
    '  momento-http-server key create [--role R] [--cache C | --object-store S] [--key-prefix P] [--expires-in T|never]',
    '',
    'Options:',
    ...Object.entries(FLAGS).map(([n, f]) => row(n, f)),
    '',
    'key create:',
    ...Object.entries(KEY_FLAGS).map(([n, f]) => row(n, f)),
    '',
    `The key printed at start expires after ${PRINTED_KEY_LIFETIME}; a key that never expires only comes from`,
    '`key create --expires-in never`. Keys survive restarts when the signing secret does: by default',
    'it is kept in $XDG_STATE_HOME/momento-http-server (~/.local/state/momento-http-server);',
    '--secret / MOMENTO_HTTP_SERVER_SECRET or --data-dir choose another (`key create` reads the same).',
  ].join('\n');
}

const SIZE = /^(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?$/i;
const UNITS: Record<string, number> = {
  b: 1,
  k: 1024,
  kb: 1000,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1e6,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1e9,
  gib: 1024 ** 3,
};

/** `256mb`, `5MiB`, `1048576` → bytes. */
export function parseSize(flag: string, value: string | number): number {
  const m = SIZE.exec(String(value).trim());
  if (!m)
    throw new UsageError(`--${flag}: expected a size like 512kb, 256mb or 1gb, got '${value}'`);
  return Math.floor(Number(m[1]) * UNITS[(m[2] ?? 'b').toLowerCase()]!);
}

/** How long the key printed at start lives, as shown in messages. */
export const PRINTED_KEY_LIFETIME = '24 h';
/** The same in seconds; also the default lifetime of `key create`. */
export const PRINTED_KEY_SECONDS = 86_400;

/** `3600`, `90m`, `12h`, `7d` → seconds. */
export function parseDuration(flag: string, value: string): number {
  const m = /^(\d+)\s*(s|m|h|d)?$/.exec(value.trim());
  if (!m)
    throw new UsageError(
      `--${flag}: expected seconds, a duration like 90m, 12h, 7d, or never, got '${value}'`,
    );
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[(m[2] ?? 's') as 's'];
}

function int(flag: string, value: string | number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`--${flag}: expected a whole number, got '${value}'`);
  return n;
}

export interface ServeCommand {
  kind: 'serve';
  options: ServerOptions;
}

/** Parses the serve command line (plus an optional config file) into server options. */
export function parseServe(
  argv: string[],
  env: NodeJS.ProcessEnv,
): ServeCommand | 'help' | 'version' {
  const { values } = parseArgs({
    args: argv,
    options: strip(FLAGS),
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  if (values.version) return 'version';
  const file: Record<string, unknown> = values.config ? readConfig(values.config) : {};
  const pick = <T>(flag: T | undefined, key: string): T | undefined =>
    flag ?? (file[key] as T | undefined);
  const options: ServerOptions = {};
  const port = pick(values.port, 'port');
  if (port !== undefined) options.port = int('port', port);
  const host = pick(values.host, 'host');
  if (host !== undefined) options.host = host;
  const caches = values.cache ?? (file.caches as string[] | undefined);
  if (caches !== undefined) options.caches = caches;
  options.autoCreateCaches = pick(values['auto-create-caches'], 'autoCreateCaches') ?? false;
  options.redisUrl = pick(values['redis-url'], 'redisUrl');
  const cluster = pick<string | string[]>(values['redis-cluster'], 'redisCluster');
  if (cluster !== undefined) options.redisCluster = cluster;
  options.dataDir = pick(values['data-dir'], 'dataDir');
  const maxMemory = pick<string | number>(values['max-memory'], 'maxMemory');
  if (maxMemory !== undefined) options.maxMemoryBytes = parseSize('max-memory', maxMemory);
  const maxItem = pick<string | number>(values['max-item-size'], 'maxItemSize');
  if (maxItem !== undefined) options.maxItemBytes = parseSize('max-item-size', maxItem);
  const maxTtl = pick<string | number>(values['max-ttl'], 'maxTtl');
  if (maxTtl !== undefined) options.maxTtlSeconds = int('max-ttl', maxTtl);
  const rate = pick<string | number>(values['rate-limit'], 'rateLimit');
  if (rate !== undefined) options.rateLimit = { opsPerSecond: int('rate-limit', rate) };
  const topicBuffer = pick<string | number>(values['topic-buffer'], 'topicBuffer');
  if (topicBuffer !== undefined) options.topicBufferMessages = int('topic-buffer', topicBuffer);
  const longPoll = pick<string | number>(values['topic-long-poll'], 'topicLongPoll');
  if (longPoll !== undefined) options.topicLongPollMs = int('topic-long-poll', longPoll);
  options.faults = pick(values.faults, 'faults') ?? false;
  options.log = pick(values.log, 'log') ?? false;
  options.devKey = pick(values['dev-key'], 'devKey');
  const secret =
    values.secret ?? env.MOMENTO_HTTP_SERVER_SECRET ?? (file.secret as string | undefined);
  if (secret !== undefined) options.signingSecret = secret;
  return { kind: 'serve', options };
}

function readConfig(path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`--config ${path}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`--config ${path}: expected a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

export interface KeyCommand {
  role?: CacheRole;
  cache?: string;
  objectStore?: string;
  keyPrefix?: string;
  /** `undefined`: never expires (only with an explicit `--expires-in never`). */
  expiresInSeconds: number | undefined;
  secret?: string;
  dataDir?: string;
  v1: boolean;
  endpoint: string;
  help: boolean;
}

/** Parses `key create …`. */
export function parseKeyCreate(argv: string[], env: NodeJS.ProcessEnv): KeyCommand {
  const { values } = parseArgs({
    args: argv,
    options: strip(KEY_FLAGS),
    strict: true,
    allowPositionals: false,
  });
  const role = values.role as CacheRole | undefined;
  if (role !== undefined && !['readwrite', 'readonly', 'writeonly'].includes(role)) {
    throw new UsageError(`--role: expected readwrite, readonly or writeonly, got '${role}'`);
  }
  if (role === undefined && (values.cache || values['key-prefix'] || values['object-store'])) {
    throw new UsageError(
      '--cache, --object-store and --key-prefix need --role (a super-user key cannot be scoped)',
    );
  }
  if (values.cache !== undefined && values['object-store'] !== undefined) {
    throw new UsageError('--cache and --object-store exclude each other: a key names one of them');
  }
  const expiresIn = values['expires-in'];
  return {
    role,
    cache: values.cache,
    objectStore: values['object-store'],
    keyPrefix: values['key-prefix'],
    expiresInSeconds:
      expiresIn === undefined
        ? PRINTED_KEY_SECONDS
        : expiresIn.trim() === 'never'
          ? undefined
          : parseDuration('expires-in', expiresIn),
    secret: values.secret ?? env.MOMENTO_HTTP_SERVER_SECRET,
    dataDir: values['data-dir'],
    v1: values.v1 ?? false,
    endpoint: values.endpoint ?? '127.0.0.1:4545',
    help: values.help ?? false,
  };
}
