/**
 * `pnpm start` runs the app against the built workspace packages. The root `pnpm build` (or the
 * demo) builds them; when they are missing, build exactly the packages this app depends on.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const needed = ['core', 'keyv', 'nestjs'].map((name) => `../../packages/${name}/dist/index.js`);
if (!needed.every((file) => existsSync(new URL(file, import.meta.url)))) {
  const pnpm = process.env.npm_execpath;
  const [command, args] =
    pnpm?.endsWith('.js') || pnpm?.endsWith('.cjs')
      ? [process.execPath, [pnpm]]
      : [pnpm ?? 'pnpm', []];
  execFileSync(command, [...args, '--filter', 'nest-app^...', 'build'], { stdio: 'inherit' });
}
