import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { run } from './processes';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** One next.config of the README, built with one Next version over one fixture app. */
export interface ReadmeApp {
  /** Names the build (and its folder). */
  name: string;
  /** The README block's first line after `// next.config.mjs — `. */
  heading: string;
  /** The example app whose `node_modules` holds the Next version. */
  versionApp: string;
  fixture: 'classic' | 'cache-components';
  /** Next 16 segment prefetches (`next-router-segment-prefetch`). */
  segmentPrefetch: boolean;
}

const CLASSIC = 'Next 16, classic ISR';
const CACHE_COMPONENTS = "Next 16, 'use cache' with cacheComponents";
const NEXT15 = 'Next 15.5';

export const readmeApps = {
  classic164: {
    name: 'classic',
    heading: CLASSIC,
    versionApp: `${root}examples/next-app`,
    fixture: 'classic',
    segmentPrefetch: true,
  },
  cacheComponents164: {
    name: 'cache-components',
    heading: CACHE_COMPONENTS,
    versionApp: `${root}examples/next-app`,
    fixture: 'cache-components',
    segmentPrefetch: true,
  },
  classic165: {
    name: 'classic',
    heading: CLASSIC,
    versionApp: `${root}examples/next165-app`,
    fixture: 'classic',
    segmentPrefetch: true,
  },
  cacheComponents165: {
    name: 'cache-components',
    heading: CACHE_COMPONENTS,
    versionApp: `${root}examples/next165-app`,
    fixture: 'cache-components',
    segmentPrefetch: true,
  },
  next155: {
    name: 'classic',
    heading: NEXT15,
    versionApp: `${root}examples/next15-app`,
    fixture: 'classic',
    segmentPrefetch: false,
  },
} satisfies Record<string, ReadmeApp>;

/** The README's `next.config.mjs` block whose first line names `heading`, verbatim. */
export function readmeConfig(heading: string): string {
  const readme = readFileSync(`${root}packages/next/README.md`, 'utf8');
  const first = `// next.config.mjs — ${heading}\n`;
  const blocks = readme.split('```js\n').map((block) => block.slice(0, block.indexOf('```')));
  const block = blocks.find((b) => b.startsWith(first));
  if (!block) throw new Error(`the README has no next.config block "${first.trim()}"`);
  return block;
}

/** Where `app` is built: inside its version's example app, so `next` and the package resolve. */
export function readmeAppDir(app: ReadmeApp, copy = ''): string {
  return `${app.versionApp}/.readme-builds/${app.name}${copy}`;
}

const env = () => ({
  NEXT_TELEMETRY_DISABLED: '1',
  // Configured but unreachable, as a CI build without the cache: the build must not need it.
  MOMENTO_ENDPOINT: 'http://127.0.0.1:9',
  MOMENTO_API_KEY: 'unused-at-build',
});

/**
 * Writes the fixture app plus the README config verbatim, then `next build`s it. A build made
 * earlier in this run from the same config is reused (the README tests and the seed tests share
 * them); `copy` names a second, separate build of the same app (a new build id).
 */
export async function buildReadmeApp(
  app: ReadmeApp,
  copy = '',
): Promise<{ dir: string; log: string }> {
  const dir = readmeAppDir(app, copy);
  const config = readmeConfig(app.heading);
  const buildId = `${dir}/.next/BUILD_ID`;
  const logFile = `${dir}/.next/build.log`;
  const runStartedAt = inject('runStartedAt');
  if (
    existsSync(buildId) &&
    // NEXT_E2E_REUSE_BUILD=1 reuses any earlier build (local iteration only), as global-setup does.
    (process.env.NEXT_E2E_REUSE_BUILD === '1' || statSync(buildId).mtimeMs > runStartedAt) &&
    readFileSync(`${dir}/next.config.mjs`, 'utf8') === config
  ) {
    return { dir, log: readFileSync(logFile, 'utf8') };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(`${fixtures}${app.fixture}`, dir, { recursive: true });
  writeFileSync(`${dir}/next.config.mjs`, config);
  const bin = `${app.versionApp}/node_modules/next/dist/bin/next`;
  const log = await run(process.execPath, [bin, 'build'], dir, env());
  writeFileSync(logFile, log);
  return { dir, log };
}
