// The CLI's alone: kept out of secret.ts, which the library entry also bundles, so that entry has
// no `node:os` import left unused by tree-shaking (rollup printed a warning on every build).
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the CLI keeps its signing secret when given neither `--secret` nor `--data-dir`:
 * `$XDG_STATE_HOME/momento-http-server`, else `~/.local/state/momento-http-server`. A per-user
 * place, so the development flow (start, paste the printed key, restart) keeps working keys
 * without writing into the project directory.
 */
export function defaultSecretDir(env: NodeJS.ProcessEnv): string {
  const state = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(state, 'momento-http-server');
}
