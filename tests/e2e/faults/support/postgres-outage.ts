// PostgreSQL going away under Baton, as a restart or a failover does: every
// connection to the test's database terminated (pg_terminate_backend, SQLSTATE
// 57P01 for whoever was mid-query), and new ones refused while the database
// does not allow connections. Run from the server's `postgres` database, so the
// test's own control connection is never among those cut.
import pg from 'pg';

export interface PostgresOutage {
  /** Refuses new connections to the database and terminates the open ones. */
  begin(): Promise<void>;
  /** Allows connections again. */
  end(): Promise<void>;
  close(): Promise<void>;
}

export async function postgresOutage(databaseUrl: string): Promise<PostgresOutage> {
  const target = new URL(databaseUrl);
  const name = target.pathname.slice(1);
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  return {
    async begin() {
      await client.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    },
    async end() {
      await client.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
    },
    async close() {
      await client.end();
    },
  };
}
