// Once per test run: with the embedded database, migrate one PGlite data
// directory that every test database is copied from (a fresh PGlite runs initdb,
// seconds; a copy opens in a fraction of that).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string | null;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) {
    project.provide('pgliteTemplate', null);
    return;
  }
  const root = await mkdtemp(join(tmpdir(), 'baton-template-'));
  const dataDir = join(root, 'pglite');
  const database = await openDatabase({ kind: 'pglite', dataDir });
  await database.close();
  project.provide('pgliteTemplate', dataDir);
  return () => rm(root, { recursive: true, force: true });
}
