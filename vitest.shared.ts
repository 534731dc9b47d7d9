import { fileURLToPath } from 'node:url';

/** Tests import sibling packages from source, so no build is needed before `vitest`. */
const src = (path: string) => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));

export const workspaceAlias = [
  { find: /^@momento-http\/core\/node$/, replacement: src('core/src/node.ts') },
  { find: /^@momento-http\/core$/, replacement: src('core/src/index.ts') },
  { find: /^@momento-http\/server$/, replacement: src('server/src/index.ts') },
  { find: /^@momento-http\/keyv$/, replacement: src('keyv/src/index.ts') },
  { find: /^@momento-http\/nestjs$/, replacement: src('nestjs/src/index.ts') },
  { find: /^@momento-http\/express$/, replacement: src('express/src/index.ts') },
];
