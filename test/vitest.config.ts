import { defineProject } from 'vitest/config';
import { workspaceAlias } from '../vitest.shared';

export default defineProject({
  resolve: { alias: workspaceAlias },
  test: {
    name: 'cross-package',
    include: ['**/*.test.ts'],
    exclude: ['bench/**', 'e2e/**', '**/node_modules/**'],
  },
});
