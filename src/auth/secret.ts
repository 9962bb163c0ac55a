// The HS256 secret: JWT_SECRET when configured; otherwise one generated on first
// start and kept under DATA_DIR, so restarts keep tokens valid and
// `npm run token` signs with the same key the server verifies with. With an
// identity provider (JWT_JWKS_URL) and no JWT_SECRET there is none: its tokens
// are the only ones, and Baton generates no key nor prints a token.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { privateDirectory } from '../db/private-directory.js';

export interface JwtSecret {
  /** Undefined when tokens come only from the identity provider. */
  value: string | undefined;
  /** True when Baton made it up (no JWT_SECRET): the server then prints an admin token. */
  generated: boolean;
}

export async function resolveJwtSecret(config: { jwtSecret: string | undefined; dataDir: string; identityProvider?: unknown }): Promise<JwtSecret> {
  if (config.jwtSecret) return { value: config.jwtSecret, generated: false };
  if (config.identityProvider) return { value: undefined, generated: false };
  const file = join(config.dataDir, 'jwt-secret');
  try {
    return { value: (await readFile(file, 'utf8')).trim(), generated: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const value = randomBytes(32).toString('base64url');
  await privateDirectory(config.dataDir);
  // `wx`: if another process created it meanwhile, fail instead of overwriting its key.
  await writeFile(file, `${value}\n`, { mode: 0o600, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return { value: (await readFile(file, 'utf8')).trim(), generated: true };
}
