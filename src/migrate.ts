// `npm run migrate`: applies the pending migrations of prisma/migrations/ and exits.
// Deployments run it once before a rollout (the Kubernetes Job deploy/k8s/migrate,
// compose's `migrate` service), so new replicas start on the schema they expect
// and a failing migration stops the release before any pod is replaced. Baton
// still migrates at start-up under the same PostgreSQL advisory lock, so running
// this is safe at any time and a no-op when the schema is up to date.
// Exit codes: 0 migrated or up to date, 1 migration or connection failure, 2 bad configuration.
import { loadConfig, type Config } from './config.js';
import { databaseTarget, openDatabase, type DatabaseTarget } from './db/database.js';
import { readMigrations } from './db/migrate.js';
import { createLogger } from './logger.js';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  // No logger yet: its level is part of the configuration that failed.
  process.stderr.write(`migrate: ${(error as Error).message}\n`);
  process.exit(2);
}

const logger = createLogger(config.logLevel, config.serverId);
const target = databaseTarget(config);
const where = describeTarget(target);

try {
  const known = await readMigrations();
  const database = await openDatabase(target);
  try {
    const applied = database.appliedMigrations;
    logger.info(
      { database: where, applied, known: known.length, already_applied: known.length - applied.length },
      applied.length > 0 ? `applied ${applied.length} migration(s)` : 'database schema is up to date',
    );
  } finally {
    await database.close();
  }
  process.exit(0);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  logger.error({ database: where, err: error }, `migration failed: ${message}`);
  process.exit(1);
}

/** Where the migrations go, for the log: never the password in DATABASE_URL. */
function describeTarget(target: DatabaseTarget): Record<string, string> {
  if (target.kind === 'pglite') return { kind: 'pglite', data_dir: target.dataDir };
  try {
    const url = new URL(target.url);
    return { kind: 'postgres', host: url.host, database: url.pathname.replace(/^\//, '') };
  } catch {
    return { kind: 'postgres' };
  }
}
