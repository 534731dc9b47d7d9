import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

export default defineConfig(
  packageBuild(
    {
      index: 'src/index.ts',
      isr: 'src/isr-entry.ts',
      'use-cache': 'src/use-cache-entry.ts',
      seed: 'src/seed-entry.ts',
      cli: 'src/seed-cli.ts',
    },
    // The isr and use-cache entries have a default export (what Next loads) and the factories as
    // named exports. tsup's extra rollup pass (treeshake) then warns on every build that CJS
    // consumers need `.default`, which is how Next loads a handler. esbuild alone bundles the same
    // shape (`exports.default` and the named exports) without the pass and without the warning.
    { treeshake: false },
  ),
);
