import { defineConfig } from 'vitest/config';

// The end-to-end suites, which `npm test` runs one project at a time after the unit suites
// (scripts/test.mjs): real Next builds and servers, and the demo on its fixed ports.
export default defineConfig({
  test: {
    projects: ['packages/next/vitest.e2e.config.ts', 'test/vitest.e2e.config.ts'],
  },
});
