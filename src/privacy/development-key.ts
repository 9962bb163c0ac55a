// DATA_ENCRYPTION_KEY when configured; otherwise, outside production, one generated
// on first start and kept under DATA_DIR beside the JWT secret, so the embedded
// database stays readable across restarts. Production without the variable never
// gets here: the configuration refuses to start (src/config.ts).
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../config.js';
import { privateDirectory } from '../db/private-directory.js';
import { parseKeyRing, type KeyRing } from './key-ring.js';

export const DEVELOPMENT_KEY_FILE = 'data-encryption-key';

export async function resolveKeyRing(config: { dataEncryptionKey: string | undefined; dataDir: string }): Promise<KeyRing> {
  if (config.dataEncryptionKey) {
    try {
      return parseKeyRing(config.dataEncryptionKey);
    } catch (error) {
      throw new ConfigError(`Invalid configuration:\n  ${(error as Error).message}`);
    }
  }
  const file = join(config.dataDir, DEVELOPMENT_KEY_FILE);
  const existing = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing) return parseKeyRing(existing.trim());
  await privateDirectory(config.dataDir);
  // `wx`: if another process created it meanwhile, keep its key instead of overwriting it.
  await writeFile(file, `dev:${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return parseKeyRing((await readFile(file, 'utf8')).trim());
}
