import { MomentoError } from '../client/errors';
import type { CacheStore } from '../contract';
import type { CacheTargetOptions } from '../toolkit/cache-target';
import { checkWholeNumber } from '../toolkit/option-checks';
import { checkTagNamespace } from '../toolkit/tag-namespace';
import { checkPurgeTags, DEFAULT_PURGE_TIMEOUT_MS, purgeTags } from './purge-tags';

export const PURGE_HELP = `Usage: momento-http purge --tag <tag> [--tag <tag> ...] [options]

Invalidates tags for every @momento-http package (Express, Nest, Keyv, Next with
tagNamespace) sharing the cache: entries carrying one of them are misses from now on.

Options:
  --tag <tag>              a tag to purge (repeat for more)
  --tag-namespace <name>   the apps' tagNamespace (default: the shared namespace)
  --cache-name <name>      default: MOMENTO_CACHE_NAME, else 'default-cache'
  --timeout-ms <ms>        deadline of the purge (default ${DEFAULT_PURGE_TIMEOUT_MS})

Environment: MOMENTO_API_KEY (required), MOMENTO_ENDPOINT, MOMENTO_CACHE_NAME.
There is no --url: purge responses by a tag they carry (see the README).
`;

/** A command line that cannot be run: its message says why (printed with the usage hint). */
export class PurgeUsageError extends Error {
  override name = 'PurgeUsageError';
}

/** What `momento-http purge …` asks for. */
export interface PurgeCommand {
  tags: string[];
  tagNamespace: string | undefined;
  cacheName: string | undefined;
  timeoutMs: number;
}

/** Parses the arguments after `purge` (`--flag value` or `--flag=value`). */
export function parsePurgeArgs(args: readonly string[]): PurgeCommand {
  const tags: string[] = [];
  let tagNamespace: string | undefined;
  let cacheName: string | undefined;
  let timeoutMs = DEFAULT_PURGE_TIMEOUT_MS;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const next = args[++i];
      if (next === undefined) throw new PurgeUsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--tag':
        tags.push(value());
        break;
      case '--tag-namespace':
        tagNamespace = value();
        break;
      case '--cache-name':
        cacheName = value();
        break;
      case '--timeout-ms':
        timeoutMs = Number(value());
        break;
      case '--url':
        throw new PurgeUsageError(
          '--url is not supported: a URL entry is keyed by its adapter (prefix, key generator, Vary); tag the responses and purge the tag',
        );
      default:
        throw new PurgeUsageError(`unknown argument ${JSON.stringify(arg)}`);
    }
  }
  if (tags.length === 0) throw new PurgeUsageError('give at least one --tag');
  try {
    checkPurgeTags(tags);
    if (tagNamespace !== undefined) checkTagNamespace(tagNamespace, '--tag-namespace');
    checkWholeNumber('--timeout-ms', timeoutMs);
  } catch (error) {
    throw new PurgeUsageError((error as Error).message);
  }
  return { tags, tagNamespace, cacheName, timeoutMs };
}

/** Where the CLI runs: its output, and how it reaches the cache (the node entry's resolver). */
export interface PurgeCliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  resolveStore: (target: CacheTargetOptions) => CacheStore;
}

/**
 * Runs `momento-http <args>`; resolves to the exit code: 0 purged, 1 not (the reason printed
 * to `err`). Messages never contain the API key: they come from the client's errors, which name
 * the variable, never its value.
 */
export async function runPurgeCli(args: readonly string[], io: PurgeCliIo): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out(PURGE_HELP);
    return command === undefined ? 1 : 0;
  }
  if (command !== 'purge') {
    io.err(
      `momento-http: unknown command ${JSON.stringify(command)} (try: momento-http purge --help)`,
    );
    return 1;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(PURGE_HELP);
    return 0;
  }
  let parsed: PurgeCommand;
  try {
    parsed = parsePurgeArgs(rest);
  } catch (error) {
    io.err(`momento-http purge: ${(error as Error).message} (see momento-http purge --help)`);
    return 1;
  }
  try {
    const store = io.resolveStore({ cacheName: parsed.cacheName });
    await purgeTags(
      { store, tagNamespace: parsed.tagNamespace, timeoutMs: parsed.timeoutMs },
      parsed.tags,
    );
  } catch (error) {
    io.err(`momento-http purge: not purged: ${describe(error)}`);
    return 1;
  }
  io.out(`purged ${parsed.tags.length} tag(s): ${parsed.tags.join(', ')}`);
  return 0;
}

function describe(error: unknown): string {
  if (error instanceof MomentoError) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}
