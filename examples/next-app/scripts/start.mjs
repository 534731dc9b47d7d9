// `pnpm --filter next-app start`: builds once if needed, then `next start` on PORT (default 3002),
// on loopback unless HOST says otherwise (like the local server and the other examples).
// Configure the cache with MOMENTO_API_KEY / MOMENTO_ENDPOINT / MOMENTO_CACHE_NAME.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const next = (args) => {
  const result = spawnSync('next', args, { stdio: 'inherit', shell: process.platform === 'win32' });
  // `next` is on PATH under `pnpm start`; run directly, say so instead of exiting without a word.
  if (result.error)
    console.error(`✖ next ${args[0]}: ${result.error.message} (run it with pnpm start)`);
  return result;
};
process.env.NEXT_TELEMETRY_DISABLED ??= '1';
if (!existsSync('.next/BUILD_ID')) {
  const build = next(['build']);
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const port = process.env.PORT ?? '3002';
const host = process.env.HOST ?? '127.0.0.1';
process.exit(next(['start', '-p', port, '-H', host]).status ?? 1);
