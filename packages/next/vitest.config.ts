import { defineProject } from 'vitest/config';
import { workspaceAlias } from '../../vitest.shared';

export default defineProject({
  resolve: { alias: workspaceAlias },
  // The real-Next suite (builds two apps) runs with `pnpm test:e2e` (vitest.e2e.config.ts).
  test: {
    name: 'next',
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', '**/node_modules/**'],
  },
});
