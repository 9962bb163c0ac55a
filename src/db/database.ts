// Opens Baton's relational store: real PostgreSQL through @prisma/adapter-pg when
// DATABASE_URL is set, embedded PostgreSQL (PGlite) under DATA_DIR otherwise.
// Migrations are applied before the Prisma client is handed out.
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from './generated/prisma/client.js';
import { applyMigrations, readMigrations } from './migrate.js';
import { pgliteNotifications, postgresNotifications, type Notifications } from './notifications.js';
import { withEventLoopTurns } from './pglite-turns.js';
import { privateDirectory } from './private-directory.js';
import { pgliteSession, pgSession } from './sql-session.js';

export type DatabaseKind = 'postgres' | 'pglite';

const CONNECT_TIMEOUT_MS = 5_000;

/** 'minimal': no source excerpts in messages, and no stack captured on every call (measurable under load). */
const PRISMA_ERROR_FORMAT = 'minimal';

export interface Database {
  kind: DatabaseKind;
  prisma: PrismaClient;
  /** Names of the migrations applied while opening (empty when already up to date). */
  appliedMigrations: string[];
  /** Hears every SQL statement Prisma runs, with its duration (metrics; the N+1 test counts them). Returns an unsubscribe. */
  onQuery(listener: QueryListener): () => void;
  /** The connections behind Prisma, read when /metrics is scraped. */
  connections(): DatabaseConnections;
  /** LISTEN/NOTIFY on this database. */
  notifications: Notifications;
  close(): Promise<void>;
}

/**
 * PostgreSQL: the pg pool's connections (open, idle among them, and callers
 * waiting for one). PGlite is a single embedded connection that serializes its
 * callers internally: total is 1, idle and waiting are not observable (absent).
 */
export interface DatabaseConnections {
  total: number;
  idle?: number;
  waiting?: number;
}

export type QueryListener = (statement: string, durationMs: number) => void;

/** A Prisma client that reports each statement to the listeners registered on it. */
function observedClient(adapter: PrismaPg | PrismaPGlite): Pick<Database, 'prisma' | 'onQuery'> {
  const listeners = new Set<QueryListener>();
  const client = new PrismaClient({ adapter, errorFormat: PRISMA_ERROR_FORMAT, log: [{ emit: 'event', level: 'query' }] });
  client.$on('query', (event) => {
    for (const listener of listeners) listener(event.query, event.duration);
  });
  return {
    prisma: client as unknown as PrismaClient,
    onQuery(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type DatabaseTarget =
  | { kind: 'postgres'; url: string; poolSize: number }
  /** `dataDir` is a directory, or `memory://` for a throw-away database. */
  | { kind: 'pglite'; dataDir: string };

export function databaseTarget(config: { databaseUrl?: string | undefined; databasePoolSize: number; dataDir: string }): DatabaseTarget {
  return config.databaseUrl
    ? { kind: 'postgres', url: config.databaseUrl, poolSize: config.databasePoolSize }
    : { kind: 'pglite', dataDir: join(config.dataDir, 'pglite') };
}

/** `onError`: where a lost LISTEN connection is reported (it reconnects by itself). */
export async function openDatabase(target: DatabaseTarget, onError: (error: Error) => void = () => {}): Promise<Database> {
  return target.kind === 'postgres' ? openPostgres(target.url, target.poolSize, onError) : openPglite(target.dataDir);
}

async function openPostgres(url: string, poolSize: number, onError: (error: Error) => void): Promise<Database> {
  // UTC sessions: Prisma keeps DateTime in UTC in timestamp columns, and raw SQL's now() must agree with it.
  // A server that does not answer at all (a blackholed host) fails a connection attempt after a while, never hangs it.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, options: '-c TimeZone=UTC', connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // An idle connection that drops (a server restart, a terminated backend) is
  // emitted here; unhandled, it would crash the process. The pool replaces it,
  // and queries still report their own errors.
  pool.on('error', () => {});
  try {
    const migrations = await readMigrations();
    const client = await pool.connect();
    let appliedMigrations: string[];
    try {
      appliedMigrations = await applyMigrations(pgSession(client), migrations);
    } finally {
      client.release();
    }
    const { prisma, onQuery } = observedClient(new PrismaPg(pool));
    const notifications = postgresNotifications(url, pool, onError);
    return {
      kind: 'postgres',
      prisma,
      onQuery,
      appliedMigrations,
      connections: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      notifications,
      async close() {
        await notifications.close();
        await prisma.$disconnect();
        await pool.end();
      },
    };
  } catch (error) {
    await pool.end();
    throw error;
  }
}

async function openPglite(dataDir: string): Promise<Database> {
  // Leads' data: owner-only, PGlite's own files included (see private-directory.ts).
  if (!dataDir.startsWith('memory://')) await privateDirectory(dataDir);
  const db = await PGlite.create(dataDir);
  try {
    const appliedMigrations = await applyMigrations(pgliteSession(db), await readMigrations());
    const { prisma, onQuery } = observedClient(new PrismaPGlite(withEventLoopTurns(db)));
    return {
      kind: 'pglite',
      prisma,
      onQuery,
      appliedMigrations,
      connections: () => ({ total: 1 }),
      notifications: pgliteNotifications(db),
      async close() {
        await prisma.$disconnect();
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
