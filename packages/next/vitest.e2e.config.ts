import { defineProject } from 'vitest/config';
import { workspaceAlias } from '../../vitest.shared';

// Real `next build && next start` against the local server, on Next 16.4 and 15.5. Apps are built
// once per run in globalSetup; files run one after the other (two `next start` each, 2 cores).
export default defineProject({
  resolve: { alias: workspaceAlias },
  test: {
    name: 'next-e2e',
    include: ['test/e2e/**/*.e2e.test.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
