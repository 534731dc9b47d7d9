import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** What the seed needs of an app's next.config. */
export interface NextSetup {
  /** `distDir` (relative to the app). */
  distDir: string;
  /** The default export of the file `cacheHandler` names, if asked for. */
  cacheHandler: unknown;
}

/** Thrown when the app's next.config cannot be read, or names no `cacheHandler`. */
export class NextSetupError extends Error {
  override name = 'NextSetupError';
}

type LoadConfig = (
  phase: string,
  dir: string,
  options?: { silent?: boolean },
) => Promise<{ distDir?: string; cacheHandler?: string }>;

/**
 * Reads the app's next.config with Next's own loader (the `next` installed in `dir`, so every
 * config format and version Next accepts is read as `next start` reads it), then loads the
 * `cacheHandler` module it names when `withHandler`.
 */
export async function loadNextSetup(dir: string, withHandler: boolean): Promise<NextSetup> {
  let config: Awaited<ReturnType<LoadConfig>>;
  try {
    // Hidden from bundlers (instrumentation.ts is bundled): these are the app's own files, read
    // at run time; a bundler would warn on, or try to follow, a require of a computed path.
    const { createRequire }: { createRequire: (path: string) => NodeJS.Require } = await import(
      /* webpackIgnore: true */ /* turbopackIgnore: true */ 'node:module'
    );
    const require = createRequire(join(dir, 'package.json'));
    const loaded = require('next/dist/server/config') as { default?: LoadConfig } | LoadConfig;
    const loadConfig = typeof loaded === 'function' ? loaded : loaded.default!;
    const { PHASE_PRODUCTION_SERVER } = require('next/constants') as Record<string, string>;
    config = await loadConfig(PHASE_PRODUCTION_SERVER!, dir, { silent: true });
  } catch (error) {
    throw new NextSetupError(
      `cannot read the Next.js config in ${dir} (${(error as Error).message}): run the seed in the app's directory, or pass the handler and distDir`,
    );
  }
  const distDir = config.distDir ?? '.next';
  if (!withHandler) return { distDir, cacheHandler: undefined };
  if (!config.cacheHandler) {
    throw new NextSetupError(
      "next.config sets no cacheHandler: set it to @momento-http/next's handler (see the README's quick start)",
    );
  }
  const module = (await import(
    /* webpackIgnore: true */ /* turbopackIgnore: true */ pathToFileURL(config.cacheHandler).href
  )) as {
    default?: unknown;
  };
  return { distDir, cacheHandler: module.default ?? module };
}
