import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// index: web standards only (fetch); node: the same API with the undici transport by default;
// testing: the CacheStore conformance suite (kept out of the default entry: it is test code);
// cli: the momento-http bin.
export default defineConfig([
  packageBuild({ index: 'src/index.ts', node: 'src/node.ts', testing: 'src/testing.ts' }),
  // The `momento-http` bin (purge CLI): ESM only, no types (it is run, not imported).
  packageBuild({ cli: 'src/cli.ts' }, { format: ['esm'], dts: false, clean: false }),
]);
