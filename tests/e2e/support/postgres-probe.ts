// The test's own connection to the PostgreSQL database its Baton processes
// share: to read what they stored, to hold a row lock as another client's long
// transaction would (so a worker stops inside its step, with no hook in the
// product), and to see in pg_stat_activity when a worker waits on that lock.
import pg from 'pg';
import { expect, vi } from 'vitest';

export interface RowLock {
  /** Rolls back the holding transaction: whoever waits on the row gets it. */
  release(): Promise<void>;
}

export interface PostgresProbe {
  query<Row extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** `SELECT … FOR UPDATE` of one row in a transaction of a connection of its own, held until released. */
  holdRowLock(table: 'Lead' | 'LeadFlow', id: string): Promise<RowLock>;
  /** Resolves once another backend of this database waits on a lock while running a statement that contains every one of `fragments`. */
  untilWaitingOnLock(...fragments: string[]): Promise<void>;
  /** Resolves once a backend of this database has run `LISTEN "channel"` (a process's event listener, listening). */
  untilListening(channel: string): Promise<void>;
  close(): Promise<void>;
}

const WAIT = { timeout: 20_000, interval: 20 };

export async function postgresProbe(url: string): Promise<PostgresProbe> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const lockers = new Set<pg.Client>();

  return {
    query: async <Row extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => (await client.query<Row>(sql, params)).rows,

    async holdRowLock(table, id) {
      const locker = new pg.Client({ connectionString: url });
      await locker.connect();
      lockers.add(locker);
      await locker.query('BEGIN');
      const { rowCount } = await locker.query(`SELECT 1 FROM "${table}" WHERE "id" = $1 FOR UPDATE`, [id]);
      expect(rowCount, `a ${table} row ${id} to lock`).toBe(1);
      return {
        async release() {
          await locker.query('ROLLBACK');
          lockers.delete(locker);
          await locker.end();
        },
      };
    },

    async untilWaitingOnLock(...fragments) {
      await vi.waitFor(async () => {
        const { rows } = await client.query<{ query: string }>(
          `SELECT query FROM pg_stat_activity
           WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`,
        );
        expect(
          rows.some(({ query }) => fragments.every((fragment) => query.includes(fragment))),
          `a backend waiting on a lock in ${fragments.join(' … ')}`,
        ).toBe(true);
      }, WAIT);
    },

    async untilListening(channel) {
      await vi.waitFor(async () => {
        const { rows } = await client.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle' AND query = $1`, [
          `LISTEN "${channel}"`,
        ]);
        expect(rows.length, `a connection listening on ${channel}`).toBeGreaterThan(0);
      }, WAIT);
    },

    async close() {
      for (const locker of lockers) await locker.end().catch(() => {});
      await client.end();
    },
  };
}
