// A real Baton on a free port with its own database, and typed helpers to call
// it the way clients do: GraphQL over HTTP, REST and JSON-RPC.
import { randomBytes } from 'node:crypto';
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import type { ExecutionResult } from 'graphql';
import { createBatonServer, type BatonServer } from '../../src/app/baton-server.js';
import type { Role } from '../../src/auth/roles.js';
import { loadConfig } from '../../src/config.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256';
/** What a production start must bring (NODE_ENV=production refuses to start without it): one key, `id:base64`. */
export const TEST_DATA_ENCRYPTION_KEY = `test:${Buffer.alloc(32, 0x42).toString('base64')}`;

export interface TestApp {
  app: BatonServer;
  url: string;
  database: TestDatabase;
  token(...roles: Role[]): Promise<string>;
  graphql<TData, TVariables>(
    document: DocumentTypeDecoration<TData, TVariables> | string,
    variables?: TVariables,
    options?: { token?: string | null },
  ): Promise<{ status: number; body: ExecutionResult<TData> & { errors?: GraphQLErrorBody[] } }>;
  post(path: string, body: unknown, options?: { token?: string | null; headers?: Record<string, string> }): Promise<Response>;
  /** Stops the server; `keepDatabase` leaves it for a restart. */
  stop(options?: { keepDatabase?: boolean }): Promise<void>;
}

export interface GraphQLErrorBody {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; issues?: { path: string; message: string }[] };
}

export interface TestAppOptions {
  /** Overrides; `undefined` unsets (`JWT_SECRET: undefined`: Baton generates its secret under DATA_DIR). */
  env?: Record<string, string | undefined>;
  /** A database to share (another replica's); a fresh one otherwise. */
  database?: TestDatabase;
  /** The rate limiter's clock (createBatonServer's `now`). */
  now?: () => number;
  /** Where Baton logs (silent otherwise): createLogger with a destination the test reads. */
  logger?: Logger;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'silent',
    // Off unless a test is about it (tests/integration/graphql/rate-limit.test.ts): one admin token sends every request of a file.
    RATE_LIMIT_PER_MINUTE: '0',
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    REDIS_KEY_PREFIX: `baton-test-${randomBytes(4).toString('hex')}:`,
    ...database.env,
    ...options.env,
  });
  const app = await createBatonServer(config, options.logger ?? createLogger('silent', config.serverId), { now: options.now });
  const url = await app.start();
  // None when tokens come only from an identity provider (JWT_JWKS_URL without JWT_SECRET): such a test passes its own.
  const adminToken = app.jwtSecret.value === undefined ? null : await app.tokens.sign({ subject: 'test-admin', roles: ['admin'] });

  const authHeader = (token: string | null | undefined): Record<string, string> => {
    const value = token === undefined ? adminToken : token;
    return value === null ? {} : { authorization: `Bearer ${value}` };
  };

  return {
    app,
    url,
    database,
    token: (...roles) => app.tokens.sign({ subject: `test-${roles.join('-')}`, roles }),
    async graphql(document, variables, { token } = {}) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...authHeader(token) },
        body: JSON.stringify({ query: String(document), variables }),
      });
      return { status: response.status, body: (await response.json()) as never };
    },
    post(path, body, { token, headers = {} } = {}) {
      return fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...authHeader(token), ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    },
    async stop({ keepDatabase = false } = {}) {
      await app.stop();
      if (!keepDatabase) await database.drop();
    },
  };
}

/** Lead ids unique across test files sharing one PostgreSQL. */
export function uniqueLeadId(prefix = 'lead'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}
