// Which failures mean "a dependency does not answer" rather than "this request
// is wrong" or "Baton has a bug": PostgreSQL refusing or dropping connections
// (a restart, pg_terminate_backend, a failover, a full pool) and Redis being
// unreachable. Every door answers those with 503 and Retry-After (UnavailableError),
// never 500: the same request may well succeed a moment later. Classified once,
// here, from what pg, Prisma's driver adapter and ioredis actually throw.
import { UnavailableError } from '../errors.js';

/** Node's socket errors: the server is not there, or went away mid-conversation. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * PostgreSQL SQLSTATEs: class 08 (connection exception), 57P01..57P03 (admin or
 * crash shutdown, cannot connect now), 53300 (too many connections).
 */
const POSTGRES_STATES = /^(08...|57P0[1-3]|53300)$/;

/** Prisma: can't reach the server (P1001), timed out (P1002), server closed the connection (P1017), pool timeout (P2024), a transaction that could not start in time (P2028). */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1017', 'P2024', 'P2028']);

/** Prisma's driver adapter error kinds for the same. */
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'TlsConnectionError']);

/** pg and ioredis say it in words only. */
const MESSAGES = [
  /^Connection terminated/, // pg: the server closed the socket
  /timeout exceeded when trying to connect/, // pg-pool
  /Client has encountered a connection error and is not queryable/, // pg
  /is not currently accepting connections/, // PostgreSQL: ALLOW_CONNECTIONS false (55000)
  /Stream isn't writeable and enableOfflineQueue options is false/, // ioredis, while disconnected
  /^Connection is closed\.?$/, // ioredis
  /^Command timed out$/, // ioredis commandTimeout
  /Reached the max retries per request limit/, // ioredis MaxRetriesPerRequestError
];

/** 'identity-provider' is only ever named by an UnavailableError thrown where its key set is read (src/auth/jwt.ts). */
export type Dependency = 'database' | 'redis' | 'identity-provider';

/** The dependency that did not answer, when `error` (or anything it wraps) says so; undefined for any other failure. */
export function unavailableDependency(error: unknown): Dependency | undefined {
  const seen = new Set<unknown>();
  let found: Dependency | undefined;
  const visit = (value: unknown, depth: number): void => {
    if (found || depth > 6 || typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    const { code, kind, name, message, originalCode } = value as Record<string, unknown>;
    if (value instanceof UnavailableError && value.dependency !== 'shutdown') found = value.dependency;
    else if (name === 'MaxRetriesPerRequestError' || (typeof message === 'string' && MESSAGES.slice(4).some((m) => m.test(message)))) found = 'redis';
    else if (typeof code === 'string' && (SOCKET_CODES.has(code) || POSTGRES_STATES.test(code) || PRISMA_CODES.has(code))) found = 'database';
    else if (typeof originalCode === 'string' && POSTGRES_STATES.test(originalCode)) found = 'database';
    else if (typeof kind === 'string' && ADAPTER_KINDS.has(kind)) found = 'database';
    else if (typeof message === 'string' && MESSAGES.slice(0, 4).some((m) => m.test(message))) found = 'database';
    if (found) return;
    const record = value as Record<string, unknown>;
    visit(record.cause, depth + 1);
    visit(record.originalError, depth + 1);
    visit((record.meta as Record<string, unknown> | undefined)?.driverAdapterError, depth + 1);
    if (Array.isArray(record.errors)) for (const inner of record.errors) visit(inner, depth + 1);
  };
  visit(error, 0);
  return found;
}

/** `error` as an UnavailableError when a dependency did not answer; undefined otherwise. */
export function asUnavailable(error: unknown): UnavailableError | undefined {
  if (error instanceof UnavailableError) return error;
  const dependency = unavailableDependency(error);
  return dependency ? new UnavailableError(dependency) : undefined;
}
