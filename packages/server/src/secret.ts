import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Secret file name inside the data directory. */
export const SECRET_FILE = 'signing-secret';

/**
 * The signing secret: the one given, else the one persisted in `dataDir` (created on first start,
 * mode 0600, so keys keep working across restarts), else a fresh random one for this process.
 */
export async function loadSecret(
  given: Buffer | undefined,
  dataDir: string | undefined,
): Promise<Buffer> {
  if (given !== undefined) return given;
  if (dataDir === undefined) return randomBytes(32);
  const file = join(dataDir, SECRET_FILE);
  try {
    const hex = (await readFile(file, 'utf8')).trim();
    if (/^[0-9a-f]{64}$/.test(hex)) return Buffer.from(hex, 'hex');
  } catch {}
  const secret = randomBytes(32);
  await mkdir(dataDir, { recursive: true });
  try {
    // `wx`: if another process created it meanwhile, use theirs.
    await writeFile(file, `${secret.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch {
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'hex');
  }
}
