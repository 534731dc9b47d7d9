import { fileURLToPath } from 'node:url';

/** Tests import sibling packages from source, so no build is needed before `vitest`. */
const src = (path: string) => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));
const repo = (path: string) => fileURLToPath(new URL(`./${path}`, import.meta.url));

export const workspaceAlias = [
  { find: /^@momento-http\/core\/testing$/, replacement: src('core/src/testing.ts') },
  { find: /^@momento-http\/core\/node$/, replacement: src('core/src/node.ts') },
  { find: /^@momento-http\/core$/, replacement: src('core/src/index.ts') },
  { find: /^@momento-http\/server$/, replacement: src('server/src/index.ts') },
  { find: /^@momento-http\/keyv$/, replacement: src('keyv/src/index.ts') },
  { find: /^@momento-http\/nestjs$/, replacement: src('nestjs/src/index.ts') },
  { find: /^@momento-http\/express$/, replacement: src('express/src/index.ts') },
  // The private test kit every package's tests share (never published).
  { find: /^@momento-http\/test-kit$/, replacement: repo('test/kit/index.ts') },
];
