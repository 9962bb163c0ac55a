// The smallest SQL surface the migration runner needs, so it runs unchanged on
// a pg connection and on embedded PGlite (Prisma is not used for DDL).
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';

export interface SqlSession {
  /** One parameterized statement. */
  query<Row extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** A script of several statements, no parameters. */
  exec(script: string): Promise<void>;
}

export function pgSession(client: pg.ClientBase): SqlSession {
  return {
    async query<Row extends Record<string, unknown>>(sql: string, params: unknown[] = []) {
      const result = await client.query<Row>(sql, params);
      return result.rows;
    },
    async exec(script) {
      await client.query(script);
    },
  };
}

export function pgliteSession(db: PGlite): SqlSession {
  return {
    async query<Row extends Record<string, unknown>>(sql: string, params: unknown[] = []) {
      const result = await db.query<Row>(sql, params);
      return result.rows;
    },
    async exec(script) {
      await db.exec(script);
    },
  };
}
