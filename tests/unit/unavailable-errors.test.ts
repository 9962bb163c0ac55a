// Which failures are "a dependency does not answer" (503 + Retry-After on every
// door) and which are not: the shapes pg, Prisma's driver adapter and ioredis throw.
import { describe, expect, it } from 'vitest';
import { unavailableDependency } from '../../src/db/unavailable.js';
import { UnavailableError } from '../../src/errors.js';

/** Prisma's error around a driver adapter failure, as Prisma 7 with @prisma/adapter-pg throws it. */
function prismaError(code: string, cause: Record<string, unknown>): Error {
  return Object.assign(new Error('Invalid `prisma.lead.findMany()` invocation'), {
    name: 'PrismaClientKnownRequestError',
    code,
    meta: { driverAdapterError: { name: 'DriverAdapterError', cause } },
  });
}

describe('unavailableDependency', () => {
  it.each([
    ['PostgreSQL refusing connections (Prisma P1001)', prismaError('P1001', { kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 5432 })],
    [
      'a terminated backend (57P01)',
      prismaError('P2010', { kind: 'postgres', originalCode: '57P01', message: 'terminating connection due to administrator command' }),
    ],
    [
      'a database not accepting connections',
      prismaError('P2010', { kind: 'postgres', originalCode: '55000', message: 'database "baton" is not currently accepting connections' }),
    ],
    ['a pool timeout (P2024)', Object.assign(new Error('Timed out fetching a new connection'), { code: 'P2024' })],
    ['a refused socket', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['pg losing its connection', new Error('Connection terminated unexpectedly')],
    ['a connection exception (08006)', Object.assign(new Error('connection failure'), { code: '08006' })],
  ])('%s: the database', (_name, error) => {
    expect(unavailableDependency(error)).toBe('database');
  });

  it.each([
    ['ioredis without its offline queue', new Error("Stream isn't writeable and enableOfflineQueue options is false")],
    ['ioredis out of retries', Object.assign(new Error('Reached the max retries per request limit (which is 1).'), { name: 'MaxRetriesPerRequestError' })],
    ['ioredis command timeout', new Error('Command timed out')],
  ])('%s: Redis', (_name, error) => {
    expect(unavailableDependency(error)).toBe('redis');
  });

  it('finds the cause however deep it is wrapped', () => {
    const wrapped = new Error('resolver failed', { cause: { originalError: Object.assign(new Error('x'), { code: 'ECONNRESET' }) } });
    expect(unavailableDependency(wrapped)).toBe('database');
    expect(unavailableDependency(new UnavailableError('redis'))).toBe('redis');
  });

  it.each([
    ['a unique violation', prismaError('P2002', { kind: 'UniqueConstraintViolation' })],
    [
      'a NUL byte PostgreSQL rejects',
      prismaError('P2010', { kind: 'postgres', originalCode: '22021', message: 'invalid byte sequence for encoding "UTF8": 0x00' }),
    ],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['not an error at all', 'ECONNREFUSED'],
  ])('%s: no dependency (an internal error stays one)', (_name, error) => {
    expect(unavailableDependency(error)).toBeUndefined();
  });
});
