/** The `momento-http-next` command: arguments, progress and the report (seed-cli.ts runs it). */

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { PermissionError } from '@momento-http/core';
import type { IsrHandlerClass } from './isr';
import { type SeedProgress, type SeedReport, seedCache } from './seed';

const USAGE = `Usage: momento-http-next seed [options]

Seeds the cache from the output of \`next build\` (run it in the app's directory, after the build):
every prerendered page, route handler and fetch-cache entry is stored through the app's
cacheHandler under the build id, unless the cache already holds one at least as new.

Options:
  --dir <path>       the app's directory (default: the current one)
  --handler <file>   the cacheHandler module (default: the one next.config names)
  --dry-run          list what would be written; read and write nothing
  --write-only       do not read first (for a write-only key; only before this build serves)
  --strict           exit 1 when any entry could not be seeded (default: exit 0 and report)
  --help             this text

Configure the cache as for next start (MOMENTO_API_KEY, MOMENTO_ENDPOINT, MOMENTO_CACHE_NAME).
The key needs the read and write rights on the cache (readwrite), or only the write right
with --write-only.`;

const mb = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function progressLine({ done, total, bytes, elapsedMs }: SeedProgress): string {
  return `seeding ${done}/${total} entries · ${mb(bytes)} · ${seconds(elapsedMs)}`;
}

/** The one-line summary (and one line per failure), printed on a TTY or not. */
export function summaryLines(report: SeedReport, writeOnly: boolean): string[] {
  const head = `momento-http-next seed: build ${report.buildId}, ${report.total} entries`;
  if (report.dryRun) {
    return [
      ...report.entries.map((e) => `would write ${e.kind.padEnd(9)} ${e.name}`),
      `${head}: would write ${report.total} (${mb(report.bytes)}); nothing read or written (--dry-run)`,
    ];
  }
  const counts = [
    `${report.written} written`,
    `${report.kept} kept (as new or newer in the cache)`,
    ...(report.expired ? [`${report.expired} expired`] : []),
    `${report.failed.length} failed`,
    ...(report.notTried ? [`${report.notTried} not tried`] : []),
  ];
  const lines = [
    `${head}: ${counts.join(', ')} · ${mb(report.bytes)} · ${seconds(report.elapsedMs)}`,
  ];
  // Entries in flight together fail together: one line per cause.
  const byCause = new Map<string, string[]>();
  for (const { name, message } of report.failed) {
    byCause.set(message, [...(byCause.get(message) ?? []), name]);
  }
  for (const [message, names] of byCause) {
    const listed = names.length > 5 ? [...names.slice(0, 5), `${names.length - 5} more`] : names;
    lines.push(`  failed ${listed.join(', ')}: ${message}`);
  }
  if (report.notTried) {
    lines.push(`  the cache failed as a whole, so the other ${report.notTried} were not tried`);
  }
  if (!writeOnly && report.failed.some((f) => f.error instanceof PermissionError)) {
    lines.push(
      '  the seed reads each entry before writing it: use a readwrite key for this cache, or with a write-only key pass --write-only (only before any instance of this build serves)',
    );
  }
  return lines;
}

/** Runs the command; resolves with the exit code. */
export async function main(argv: string[], out = process.stdout, err = process.stderr) {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    err.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals[0] !== 'seed' || positionals.length > 1) {
    err.write(`${USAGE}\n`);
    return 2;
  }
  const dir = resolve(values.dir ?? '.');
  const tty = out.isTTY === true;
  try {
    const handler = values.handler
      ? ((await import(pathToFileURL(resolve(dir, values.handler)).href)) as { default?: unknown })
          .default
      : undefined;
    const report = await seedCache({
      dir,
      handler: handler as IsrHandlerClass | undefined,
      dryRun: values['dry-run'],
      writeOnly: values['write-only'],
      onProgress: tty ? (p) => out.write(`\r${progressLine(p)}`) : undefined,
    });
    if (tty && report.total > 0) out.write('\n');
    const lines = summaryLines(report, values['write-only'] === true);
    out.write(`${lines.join('\n')}\n`);
    const incomplete = report.failed.length + report.notTried > 0;
    return values.strict && incomplete ? 1 : 0;
  } catch (error) {
    // No build, or no handler of this package: nothing was seeded and the command was misused.
    err.write(`momento-http-next seed: ${(error as Error).message}\n`);
    return 2;
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dir: { type: 'string' },
      handler: { type: 'string' },
      'dry-run': { type: 'boolean' },
      'write-only': { type: 'boolean' },
      strict: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
}
