import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The deployment's build id (`<distDir>/BUILD_ID`, next to `serverDistDir`), so one build never
 * serves another's pages. `undefined` when it cannot be read (dev, tests).
 */
export function readBuildId(serverDistDir: string | undefined): string | undefined {
  if (!serverDistDir) return undefined;
  try {
    return readFileSync(join(serverDistDir, '..', 'BUILD_ID'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
