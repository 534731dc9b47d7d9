#!/usr/bin/env node
/**
 * `momento-http`: the bin of @momento-http/core. `momento-http purge --tag product:1` invalidates
 * a tag for every @momento-http package sharing the cache (see the README).
 */
import { resolveCacheTarget } from './node';
import { runPurgeCli } from './purge/purge-cli';

// No top-level await: the build also emits CommonJS.
void runPurgeCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  resolveStore: (target) => resolveCacheTarget(target).store,
}).then((code) => {
  process.exitCode = code;
});
