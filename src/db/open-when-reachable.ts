// Start-up against a PostgreSQL that does not answer yet (a compose stack
// starting in any order, a database restarting): retried with backoff for
// DATABASE_START_TIMEOUT_S, one log line per attempt, then given up with a
// DatabaseUnreachableError whose message is one line naming DATABASE_URL's host
// and port (never its password) and why. src/main.ts prints it and exits 1.
import type { Logger } from '../logger.js';
import { unavailableDependency } from './unavailable.js';

export class DatabaseUnreachableError extends Error {
  override name = 'DatabaseUnreachableError';
}

const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 4_000;

/** `open` is attempted until it succeeds, fails for another reason, or `timeoutMs` has passed. */
export async function openWhenReachable<T>(open: () => Promise<T>, url: string, timeoutMs: number, logger: Pick<Logger, 'warn'>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const address = addressOf(url);
  for (let attempt = 1, delay = FIRST_DELAY_MS; ; attempt += 1, delay = Math.min(delay * 2, MAX_DELAY_MS)) {
    try {
      return await open();
    } catch (error) {
      if (!unavailableDependency(error)) throw error;
      const reason = reasonOf(error);
      if (Date.now() + delay > deadline) {
        throw new DatabaseUnreachableError(
          `PostgreSQL at ${address} (DATABASE_URL) does not answer: ${reason}; gave up after ${attempt} attempts in ${Math.round(timeoutMs / 1000)} s (DATABASE_START_TIMEOUT_S)`,
        );
      }
      logger.warn({ database: address, reason, attempt, retry_in_ms: delay }, 'PostgreSQL does not answer yet; retrying');
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** host:port/database of a connection URL: what to check, without the credentials. */
export function addressOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

/** The innermost short reason: a socket code (ECONNREFUSED), a SQLSTATE, or the first line of a message. */
function reasonOf(error: unknown): string {
  let reason = 'no answer';
  const seen = new Set<unknown>();
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    const record = value as Record<string, unknown>;
    if (typeof record.message === 'string' && record.message)
      reason = record.message
        .split('\n')
        .find((line) => line.trim())!
        .trim();
    if (typeof record.code === 'string' && /^[A-Z0-9]+$/.test(record.code)) reason = `${record.code}${record.message ? `: ${reason}` : ''}`;
    visit(record.cause);
    if (Array.isArray(record.errors)) for (const inner of record.errors) visit(inner);
  };
  visit(error);
  return reason;
}
