import { defineProject } from 'vitest/config';
import { workspaceAlias } from '../vitest.shared';

// The repository's own scripts (the demo's building blocks). The benchmarks and the demo e2e
// suite live beside them but run elsewhere (`pnpm bench`, vitest.e2e.config.ts).
export default defineProject({
  resolve: { alias: workspaceAlias },
  test: {
    name: 'scripts',
    include: [
      'scripts/**/*.test.ts',
      'readme/**/*.test.ts',
      'types/**/*.test.ts',
      'build/**/*.test.ts',
    ],
  },
});
