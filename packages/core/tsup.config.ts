import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// index: web standards only (fetch); node: the same API with the undici transport by default;
// testing: the CacheStore conformance suite (kept out of the default entry: it is test code).
export default defineConfig(
  packageBuild({ index: 'src/index.ts', node: 'src/node.ts', testing: 'src/testing.ts' }),
);
