// The databases Baton is measured on, each fresh so runs do not influence one
// another: embedded PGlite in a temporary DATA_DIR, and a throw-away database
// on a PostgreSQL server when one is reachable.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Cleanup } from './cleanup.js';

export type DatabaseKind = 'pglite' | 'postgres';

export interface BenchDatabase {
  kind: DatabaseKind;
  /** Environment for Baton: DATA_DIR or DATABASE_URL. */
  env: Record<string, string>;
  /** Where it lives, safe to print (no password). */
  location: string;
  /**
   * Opens it for reading with SQL from the benchmark's process. PGlite is one
   * process's database: only once the server that held it has stopped.
   */
  open(): Promise<SqlReader>;
  /** Removes it now; also registered with the cleanup. */
  drop(): Promise<void>;
}

export const DEFAULT_POSTGRES_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
const CONNECT_TIMEOUT_MS = 3000;

export async function createPgliteDatabase(cleanup: Cleanup): Promise<BenchDatabase> {
  const dataDir = await mkdtemp(join(tmpdir(), 'baton-bench-'));
  const drop = cleanup.defer(`remove ${dataDir}`, () => rm(dataDir, { recursive: true, force: true }));
  // Baton keeps its embedded database in DATA_DIR/pglite (src/db/database.ts).
  const open = async (): Promise<SqlReader> => {
    const db = await PGlite.create(join(dataDir, 'pglite'));
    return { query: async (sql, params) => (await db.query<Row>(sql, params)).rows, close: () => db.close() };
  };
  return { kind: 'pglite', env: { DATA_DIR: dataDir }, location: dataDir, open, drop };
}

export type Row = Record<string, unknown>;

export interface SqlReader {
  query(sql: string, params?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

/** Which server to use and why: an explicit URL, or the local default. */
export function postgresAdminUrl(env: NodeJS.ProcessEnv = process.env): { url: string; source: string } {
  if (env.BENCH_DATABASE_URL) return { url: env.BENCH_DATABASE_URL, source: 'BENCH_DATABASE_URL' };
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, source: 'DATABASE_URL' };
  return { url: DEFAULT_POSTGRES_URL, source: 'default' };
}

/**
 * Creates `baton_bench_<random>` next to the admin URL's database. Resolves
 * with the reason instead when the server cannot be reached or refuses: the
 * PostgreSQL run is skipped, not the whole benchmark.
 */
export async function createPostgresDatabase(cleanup: Cleanup, adminUrl: string): Promise<BenchDatabase | { skipped: string }> {
  const name = `baton_bench_${randomBytes(6).toString('hex')}`;
  try {
    await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  } catch (error) {
    return { skipped: `${redactUrl(adminUrl)} is not usable: ${describeError(error)}` };
  }
  const drop = cleanup.defer(`drop database ${name}`, () =>
    // FORCE: a server killed mid-request may leave sessions behind.
    withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  );
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const open = async (): Promise<SqlReader> => {
    const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    client.on('error', () => {});
    await client.connect();
    return { query: async (sql, params) => (await client.query<Row>(sql, params)).rows, close: () => client.end() };
  };
  return { kind: 'postgres', env: { DATABASE_URL: url.toString() }, location: redactUrl(url.toString()), open, drop };
}

async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // Without a listener a dropped connection would crash the benchmark.
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** pg's connection failures are often AggregateErrors with an empty message; the code says more. */
function describeError(error: unknown): string {
  const { message, code } = error as { message?: string; code?: string };
  return [code, message].filter(Boolean).join(' ') || String(error);
}

export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparsable URL)';
  }
}
