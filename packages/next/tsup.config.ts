import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

export default defineConfig(
  packageBuild({
    index: 'src/index.ts',
    isr: 'src/isr-entry.ts',
    'use-cache': 'src/use-cache-entry.ts',
  }),
);
