import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startServer } from '@momento-http/server';
import type { TestProject } from 'vitest/node';
import { run } from './processes';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
export const apps = {
  next16: `${root}examples/next-app`,
  next15: `${root}examples/next15-app`,
};

declare module 'vitest' {
  export interface ProvidedContext {
    buildLogs: Record<string, string>;
    /** When this run began: builds newer than it were made by this run (readme-apps.ts). */
    runStartedAt: number;
  }
}

/** Whether a package's dist is newer than every source file (skips a minute of tsup per run). */
function isBuilt(dir: string): boolean {
  const built = `${dir}/dist/index.js`;
  if (!existsSync(built)) return false;
  const builtAt = statSync(built).mtimeMs;
  const newest = (path: string): number =>
    statSync(path).isDirectory()
      ? Math.max(0, ...readdirSync(path).map((entry) => newest(`${path}/${entry}`)))
      : statSync(path).mtimeMs;
  return newest(`${dir}/src`) < builtAt;
}

/**
 * Builds the handler package (Next loads its dist) and each app once per run, with the cache
 * configured but unreachable: `next build` must complete quietly without it.
 * NEXT_E2E_REUSE_BUILD=1 skips app builds that already exist (local iteration only).
 */
export default async function setup(project: TestProject): Promise<void> {
  project.provide('runStartedAt', Date.now());
  // Rebuilding in place would break anything else running from these dist folders meanwhile.
  if (!isBuilt(`${root}packages/core`) || !isBuilt(`${root}packages/next`)) {
    await run(
      'pnpm',
      ['--filter', '@momento-http/core', '--filter', '@momento-http/next', 'build'],
      root,
    );
  }
  const server = await startServer({ port: 0 });
  const unreachable = {
    MOMENTO_ENDPOINT: server.url,
    MOMENTO_API_KEY: server.createApiKey({ superUser: true }),
  };
  await server.close();
  const env = { NEXT_TELEMETRY_DISABLED: '1', ...unreachable };
  const logs: Record<string, string> = {};
  for (const [name, dir] of Object.entries(apps)) {
    if (process.env.NEXT_E2E_REUSE_BUILD === '1' && existsSync(`${dir}/.next/BUILD_ID`)) {
      logs[name] = '(reused)';
      continue;
    }
    if (name === 'next15') await run(process.execPath, ['sync.mjs'], dir);
    logs[name] = await run(
      process.execPath,
      [`${dir}/node_modules/next/dist/bin/next`, 'build'],
      dir,
      env,
    );
  }
  project.provide('buildLogs', logs);
}
