import swc from 'unplugin-swc';
import { defineProject } from 'vitest/config';
import { workspaceAlias } from '../../vitest.shared';

export default defineProject({
  // esbuild cannot emit decorator metadata, which Nest's DI reads in the test apps; swc can.
  plugins: [
    swc.vite({
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
    }),
  ],
  oxc: false,
  resolve: { alias: workspaceAlias },
  test: {
    name: 'nestjs',
    include: ['test/**/*.test.ts'],
    setupFiles: ['reflect-metadata'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
