import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

export default defineConfig([
  packageBuild({ index: 'src/index.ts' }),
  // The CLI: ESM only, no types; esbuild keeps the `#!/usr/bin/env node` line of src/cli.ts.
  packageBuild({ cli: 'src/cli.ts' }, { format: ['esm'], dts: false, clean: false }),
]);
