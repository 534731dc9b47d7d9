import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { workspaceAlias } from '../vitest.shared';

// The one-command demo driven like a newcomer: fixed ports (4545, 3000-3002), real processes, so
// files run one at a time and after every other suite (scripts/test.mjs runs this phase last).
// `root` is this folder whether the file is run alone (--config) or listed as a project.
export default defineProject({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: { alias: workspaceAlias },
  test: {
    name: 'demo',
    include: ['e2e/**/*.e2e.test.ts'],
    fileParallelism: false,
    // Starting the demo waits for Next and Nest to start (and compile, on a first run).
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
