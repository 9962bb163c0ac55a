// DATA_DIR holds leads' data (the embedded database: emails, phones) and the
// generated JWT secret: owner-only, 0700 directories and 0600 files. Baton's own
// writes say so explicitly; PGlite writes its files through Node's fs with the
// default modes, and the process's umask is the one place that reaches them, so
// a process that keeps data under DATA_DIR runs with umask 077 (nothing it
// creates is readable by group or others). An existing DATA_DIR is left as its
// owner made it, but start-up warns when others can read it.
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Group and other permission bits. */
const SHARED_BITS = 0o077;

/** Creates `path` (and its parents) owner-only, and makes every file this process creates from now on owner-only. */
export async function privateDirectory(path: string): Promise<void> {
  process.umask(SHARED_BITS);
  await mkdir(path, { recursive: true, mode: 0o700 });
}

/**
 * The paths among DATA_DIR and its entries Baton writes (the PGlite directory,
 * the JWT secret) that group or others may read, with their modes; empty when
 * all are private or absent.
 */
export async function readableByOthers(dataDir: string): Promise<{ path: string; mode: string }[]> {
  const found: { path: string; mode: string }[] = [];
  for (const path of [dataDir, join(dataDir, 'pglite'), join(dataDir, 'jwt-secret')]) {
    const mode = await stat(path).then(
      (stats) => stats.mode & 0o777,
      () => undefined,
    );
    if (mode !== undefined && (mode & SHARED_BITS) !== 0) found.push({ path, mode: mode.toString(8).padStart(4, '0') });
  }
  return found;
}
