/**
 * Every `npx` command in a README's shell blocks works where the user runs it (issue 17, point 5).
 * `npx momento-http-server` outside a project asks the registry for an unscoped package that is
 * not ours (and that anyone could register); `npx @momento-http/server` fetches the scoped package
 * and runs its one bin. So a command names a scoped package of this repository that has exactly
 * one bin, unless it runs inside an app that has the bin's package installed (listed below, why).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './sample-app';

/** Bare bin names allowed, and why the package is surely installed where the command runs. */
const RUN_INSIDE_AN_APP: Record<string, string> = {
  'momento-http-next':
    "runs in the Next app's directory after `next build`; the app depends on @momento-http/next",
};

const READMES = [
  'README.md',
  ...readdirSync(join(REPO, 'packages')).map((name) => `packages/${name}/README.md`),
  ...readdirSync(join(REPO, 'examples')).map((name) => `examples/${name}/README.md`),
].filter((path) => existsSync(join(REPO, path)));

/** The bins of each workspace package, by package name. */
const BINS = new Map(
  readdirSync(join(REPO, 'packages')).map((dir) => {
    const manifest = JSON.parse(readFileSync(join(REPO, 'packages', dir, 'package.json'), 'utf8'));
    return [manifest.name as string, Object.keys(manifest.bin ?? {})];
  }),
);

/** What each `npx` of the README's shell blocks runs: the word after npx and its flags. */
function npxTargets(readme: string): string[] {
  const targets: string[] = [];
  let inShell = false;
  for (const line of readFileSync(join(REPO, readme), 'utf8').split('\n')) {
    if (/^```/.test(line)) {
      inShell = /^```(sh|bash|shell|console)\s*$/.test(line);
      continue;
    }
    if (!inShell) continue;
    for (const match of line.matchAll(/\bnpx((?:\s+-\S+)*)\s+(\S+)/g)) {
      if (/--package|-p\b/.test(match[1] ?? ''))
        throw new Error(`${readme}: npx -p is not checked`);
      targets.push(match[2] ?? '');
    }
  }
  return targets;
}

describe.each(READMES)('%s', (readme) => {
  it('each npx in its shell blocks runs a scoped package with one bin, or an installed bin', () => {
    for (const target of npxTargets(readme)) {
      if (target.startsWith('@momento-http/')) {
        expect(BINS.get(target), `${target}: a package of this repository`).toBeDefined();
        expect(BINS.get(target), `${target}: one bin, so npx knows what to run`).toHaveLength(1);
      } else {
        expect(RUN_INSIDE_AN_APP[target], `npx ${target}: name the scoped package`).toBeDefined();
      }
    }
  });
});

it('finds the commands it checks', () => {
  expect(READMES.flatMap(npxTargets)).toEqual(
    expect.arrayContaining(['@momento-http/server', '@momento-http/core', 'momento-http-next']),
  );
});
