import { defineProject } from 'vitest/config';
import { workspaceAlias } from '../vitest.shared';

// The one-command demo driven like a newcomer: fixed ports (4545, 3000-3002), real processes, so
// files run one at a time and after every other suite (scripts/test.mjs runs this phase last).
export default defineProject({
  resolve: { alias: workspaceAlias },
  test: {
    name: 'demo',
    include: ['e2e/**/*.e2e.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
