// `pnpm --filter next-app start`: builds once if needed, then `next start` on PORT (default 3002).
// Configure the cache with MOMENTO_API_KEY / MOMENTO_ENDPOINT / MOMENTO_CACHE_NAME.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const next = (args) =>
  spawnSync('next', args, { stdio: 'inherit', shell: process.platform === 'win32' });
process.env.NEXT_TELEMETRY_DISABLED ??= '1';
if (!existsSync('.next/BUILD_ID')) {
  const build = next(['build']);
  if (build.status !== 0) process.exit(build.status ?? 1);
}
process.exit(next(['start', '-p', process.env.PORT ?? '3002']).status ?? 1);
