// `npm run migrate` (src/migrate.ts), run as the migration Job and compose's
// migrate service run it: `node dist/migrate.js`, compiled, in a child process,
// configured by environment only. On the embedded database by default, on a
// fresh PostgreSQL database when DATABASE_URL is set (like the rest of the suite).
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMigrations } from '../../../src/db/migrate.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { ROOT, nodeCommandFor } from './support/repo.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The JSON log lines. */
  logs: Record<string, unknown>[];
}

function migrate(env: Record<string, string>): Promise<Run> {
  const [program, ...args] = nodeCommandFor('migrate');
  const { DATABASE_URL: _admin, DATA_DIR: _data, ...inherited } = process.env;
  const child = spawn(program!, args, { cwd: ROOT, env: { ...inherited, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) =>
    child.once('close', (code) =>
      resolve({
        code,
        stdout,
        stderr,
        logs: stdout
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as Record<string, unknown>),
      }),
    ),
  );
}

/** Runs SQL on the test database (the CLI has exited: PGlite allows one process at a time). */
async function sql(database: TestDatabase, statement: string): Promise<void> {
  if (database.kind === 'postgres') {
    const client = new pg.Client({ connectionString: database.env.DATABASE_URL });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  } else {
    const db = await PGlite.create(join(database.env.DATA_DIR!, 'pglite'));
    try {
      await db.exec(statement);
    } finally {
      await db.close();
    }
  }
}

let database: TestDatabase;
let names: string[];
beforeAll(async () => {
  database = await createTestDatabase();
  // The embedded test database is a copy of an already migrated template; the
  // CLI's first run must meet an empty one, so drop the copy (PGlite creates it).
  if (database.kind === 'pglite') await rm(join(database.env.DATA_DIR!, 'pglite'), { recursive: true, force: true });
  names = (await readMigrations()).map((migration) => migration.name);
});
afterAll(() => database?.drop());

describe('npm run migrate', () => {
  it('applies every pending migration, says which, and exits 0', async () => {
    const run = await migrate(database.env);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const done = run.logs.at(-1)!;
    expect(done.msg).toBe(`applied ${names.length} migration(s)`);
    expect(done.applied).toEqual(names);
    expect(done.database).toMatchObject({ kind: database.kind });
    // The log names the database, never its password.
    expect(run.stdout).not.toMatch(/password|:\/\/[^@\s"]+:[^@\s"]+@/i);
  }, 60_000);

  it('exits 0 with nothing to do when the schema is up to date', async () => {
    const run = await migrate(database.env);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.logs.at(-1)).toMatchObject({ msg: 'database schema is up to date', applied: [], known: names.length, already_applied: names.length });
  }, 60_000);

  it('exits 1 naming the problem when a landed migration was edited', async () => {
    await sql(database, `UPDATE "_prisma_migrations" SET checksum = repeat('0', 64) WHERE migration_name = '${names[0]}'`);
    const run = await migrate(database.env);
    expect(run.code).toBe(1);
    expect(run.logs.at(-1)).toMatchObject({
      level: 50,
      msg: expect.stringMatching(new RegExp(`^migration failed: Migration ${names[0]} was edited after it was applied`)),
    });
  }, 60_000);

  it('exits 1 with the connection error when PostgreSQL cannot be reached', async () => {
    // Port 9 (discard) refuses connections at once.
    const run = await migrate({ DATABASE_URL: 'postgresql://baton:secret-password@127.0.0.1:9/baton' });
    expect(run.code).toBe(1);
    const failure = run.logs.at(-1)!;
    expect(failure.msg).toMatch(/^migration failed: .*ECONNREFUSED/);
    expect(failure.database).toEqual({ kind: 'postgres', host: '127.0.0.1:9', database: 'baton' });
    expect(run.stdout).not.toContain('secret-password');
  }, 60_000);

  it('exits 2 with the configuration problem, before touching any database', async () => {
    const run = await migrate({ DATABASE_URL: 'not a url', JWT_SECRET: 'short' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('migrate: Invalid configuration');
    expect(run.stderr).toContain('DATABASE_URL');
    expect(run.stderr).toContain('JWT_SECRET must be at least 32 characters');
  }, 60_000);
});
