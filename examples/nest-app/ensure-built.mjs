/**
 * `pnpm start` runs the app from `dist/`. Builds what is missing or out of date first: the
 * workspace packages this app depends on (normally built by the root `pnpm build` or the demo),
 * then the app itself when a file under `src/` is newer than its last compile.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';

const here = (path) => new URL(path, import.meta.url);
const pnpm = process.env.npm_execpath;
const [command, lead] =
  pnpm?.endsWith('.js') || pnpm?.endsWith('.cjs')
    ? [process.execPath, [pnpm]]
    : [pnpm ?? 'pnpm', []];
const run = (args) => {
  try {
    execFileSync(command, [...lead, ...args], { stdio: 'inherit' });
  } catch (error) {
    // The build printed its own errors; no stack trace on top of them.
    process.exit(error.status ?? 1);
  }
};

const packages = ['core', 'keyv', 'nestjs'].map((name) => `../../packages/${name}/dist/index.js`);
if (!packages.every((file) => existsSync(here(file)))) run(['--filter', 'nest-app^...', 'build']);

const newest = (dir) =>
  Math.max(
    ...readdirSync(here(dir), { recursive: true }).map(
      (f) => statSync(here(`${dir}/${f}`)).mtimeMs,
    ),
  );
const built = here('dist/.tsbuildinfo');
if (
  !existsSync(built) ||
  !existsSync(here('dist/main.js')) ||
  Math.max(newest('src'), statSync(here('tsconfig.json')).mtimeMs) > statSync(built).mtimeMs
)
  run(['exec', 'tsc', '-p', 'tsconfig.json']);
