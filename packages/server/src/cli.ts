#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mintApiKey, toV1Key } from './auth/keys.js';
import {
  helpText,
  PRINTED_KEY_LIFETIME,
  PRINTED_KEY_SECONDS,
  parseKeyCreate,
  parseServe,
  UsageError,
} from './cli/args.js';
import { defaultSecretDir } from './default-secret-dir.js';
import { ServerListenError, ServerOptionsError, startServer } from './index.js';
import { loadSecret, SECRET_FILE } from './secret.js';

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const fail = (message: string, code: number): never => {
  process.stderr.write(`momento-http-server: ${message}\n`);
  process.exit(code);
};

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    return pkg.version;
  } catch {
    return 'unknown';
  }
}

async function keyCreate(argv: string[]): Promise<void> {
  const cmd = parseKeyCreate(argv, process.env);
  if (cmd.help) return out(helpText());
  // The same secret a server started with the same flags uses (the default file when none).
  const secret = await loadSecret(
    cmd.secret === undefined ? undefined : Buffer.from(cmd.secret),
    cmd.dataDir ?? (cmd.secret === undefined ? defaultSecretDir(process.env) : undefined),
  );
  const key = mintApiKey(secret, {
    role: cmd.role,
    cache: cmd.cache,
    objectStore: cmd.objectStore,
    keyPrefix: cmd.keyPrefix,
    expiresInSeconds: cmd.expiresInSeconds,
  });
  out(cmd.v1 ? toV1Key(key, cmd.endpoint) : key);
}

async function serve(argv: string[]): Promise<void> {
  const cmd = parseServe(argv, process.env);
  if (cmd === 'help') return out(helpText());
  if (cmd === 'version') return out(version());
  const options = cmd.options;
  let secretFile: string | undefined;
  if (options.signingSecret === undefined && options.dataDir === undefined) {
    // Development default: one per-user secret, so keys from an earlier start keep working.
    const dir = defaultSecretDir(process.env);
    options.signingSecret = await loadSecret(undefined, dir);
    secretFile = join(dir, SECRET_FILE);
  }
  const server = await startServer(options);
  out(`momento-http-server listening on ${server.url}`);
  if (secretFile !== undefined)
    out(`keys stay valid across restarts: signing secret in ${secretFile}`);
  if (options.devKey) {
    out('super-user dev key (--dev-key, loopback only, no expiry); to use it:');
  } else {
    out('a key that never expires: momento-http-server key create --expires-in never');
    const until = new Date(Date.now() + PRINTED_KEY_SECONDS * 1000).toISOString();
    out(
      `super-user development key, valid for ${PRINTED_KEY_LIFETIME} (until ${until}); to use it:`,
    );
  }
  // The export lines come last: tools (and tests) read the key once both are printed.
  const key = options.devKey ?? server.createApiKey({ expiresInSeconds: PRINTED_KEY_SECONDS });
  out(`export MOMENTO_API_KEY=${key}`);
  out(`export MOMENTO_ENDPOINT=${server.url}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(130); // second Ctrl-C: do not wait
    stopping = true;
    process.stderr.write(`momento-http-server: ${signal}, shutting down\n`);
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function main(argv: string[]): Promise<void> {
  try {
    if (argv[0] === 'key') {
      if (argv[1] !== 'create')
        throw new UsageError(`unknown command 'key ${argv[1] ?? ''}': try 'key create'`);
      await keyCreate(argv.slice(2));
    } else {
      await serve(argv);
    }
  } catch (error) {
    if (error instanceof ServerListenError) fail(error.message, 1);
    if (
      error instanceof UsageError ||
      error instanceof ServerOptionsError ||
      error instanceof TypeError
    ) {
      fail(`${(error as Error).message} (see --help)`, 2);
    }
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
      fail(`${(error as Error).message} (see --help)`, 2);
    fail((error as Error).message ?? String(error), 1);
  }
}

void main(process.argv.slice(2));
