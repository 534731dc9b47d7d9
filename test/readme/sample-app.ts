/**
 * One throwaway app directory for every README sample, laid out like a user's app after
 * `npm install`: `node_modules` links to the BUILT workspace packages (their `dist`, through their
 * package.json `exports`, as a user gets them) and to the third-party packages the samples import,
 * taken from the workspace packages that depend on them (so each resolves its own peers as in the
 * repository).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

const WORKSPACE_PACKAGES = ['core', 'server', 'keyv', 'next', 'nestjs', 'express'];

/** Third-party packages the samples import, and the workspace package whose copy is used. */
const THIRD_PARTY: Record<string, string> = {
  express: 'packages/express',
  keyv: 'packages/keyv',
  'cache-manager': 'packages/keyv',
  '@nestjs/common': 'packages/nestjs',
  '@nestjs/core': 'packages/nestjs',
  '@nestjs/cache-manager': 'packages/nestjs',
  '@nestjs/config': 'packages/nestjs',
  '@nestjs/platform-express': 'packages/nestjs',
  'reflect-metadata': 'packages/nestjs',
  rxjs: 'packages/nestjs',
  '@opentelemetry/api': 'packages/core',
  '@types/node': '.',
};

export interface SampleApp {
  readonly dir: string;
  /** Writes `relativePath` (directories created) and returns its absolute path. */
  write(relativePath: string, text: string): string;
  remove(): void;
}

export function createSampleApp(): SampleApp {
  const missing = WORKSPACE_PACKAGES.filter(
    (name) => !existsSync(join(REPO, 'packages', name, 'dist')),
  );
  if (missing.length > 0) {
    throw new Error(
      `README samples run against the built packages; build them first (pnpm build). Not built: ${missing.join(', ')}`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'momento-http-readme-'));
  const link = (name: string, target: string) => {
    const path = join(dir, 'node_modules', name);
    mkdirSync(dirname(path), { recursive: true });
    symlinkSync(target, path, 'dir');
  };
  for (const name of WORKSPACE_PACKAGES) {
    link(`@momento-http/${name}`, join(REPO, 'packages', name));
  }
  for (const [name, owner] of Object.entries(THIRD_PARTY)) {
    link(name, join(REPO, owner, 'node_modules', name));
  }
  const write = (relativePath: string, text: string) => {
    const path = join(dir, relativePath);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return path;
  };
  write('package.json', `${JSON.stringify({ name: 'readme-samples', type: 'module' })}\n`);
  return { dir, write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
