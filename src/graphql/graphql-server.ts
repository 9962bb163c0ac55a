// GraphQL Yoga over the Pothos schema: authentication and the rate limit in the context, known
// errors mapped to extensions.code, Prometheus metrics, GraphiQL with examples,
// persisted operations (by hash) beside arbitrary ones.
import { GraphQLError } from 'graphql';
import { createYoga, maskError as maskUnexpectedError, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenService, TokenSession } from '../auth/jwt.js';
import type { Principal } from '../auth/roles.js';
import { BatonError, HTTP_STATUS_BY_CODE, InputError, RateLimitedError, UnavailableError } from '../errors.js';
import { asUnavailable } from '../db/unavailable.js';
import type { Logger } from '../logger.js';
import { bearerChallenge, type ProtectedResourceSettings } from '../http/protected-resource.js';
import type { Context, Services } from '../schema/context.js';
import { createLoaders } from '../schema/loaders.js';
import { useQueryLimits } from './query-limits.js';
import { useOperationMetrics } from './operation-metrics.js';
import { useNoIntrospection } from './introspection.js';
import { schema } from '../schema/index.js';
import { useActiveSubscriptions } from './active-subscriptions.js';
import { useForbiddenRefusals } from './forbidden-refusals.js';
import { useSubscriptionsEndAtTokenExpiry } from './subscription-token-expiry.js';
import { graphiqlOptions, renderGraphiQLPage } from './graphiql-page.js';
import type { Metrics } from '../http/metrics.js';
import { PERSISTED_DOCUMENT_PARAMS, usePersistedDocuments } from './persisted-operations.js';
import type { RateLimiter } from './rate-limit/rate-limiter.js';
import { useQueryStringJson } from './query-string-json.js';
import { createAccessCollector } from '../audit/access-collector.js';
import type { RequestOrigin } from '../audit/doors.js';
import { useAuditLog } from '../audit/use-audit-log.js';

export type ServerContext = { req?: IncomingMessage; res?: ServerResponse };
/**
 * Set by the graphql-ws server, which authenticates once per connection, and by the adapters
 * (REST, JSON-RPC, MCP), which verified their caller and say which door and request it came by.
 */
export type InitialContext = { principal?: Principal; origin?: RequestOrigin };

export type GraphQLServer = YogaServerInstance<ServerContext & InitialContext, Context>;

export interface GraphQLServerOptions {
  services: Services;
  tokens: TokenService;
  /** Operations per caller per minute (src/graphql/rate-limit/). */
  rateLimiter: RateLimiter;
  metrics: Metrics;
  logger: Logger;
  /** Pre-filled in GraphiQL: the development admin token, set only when Baton generated its JWT secret. */
  graphiqlToken?: string | undefined;
  /** GraphiQL on GET /graphql (config.graphiql; off by default in production). */
  graphiql?: boolean;
  /** Schema introspection (config.graphqlIntrospection; off by default in production). */
  introspection?: boolean;
  /** Where a 401's WWW-Authenticate points (RFC 9728 §5.1); without it, a bare `Bearer` challenge. */
  protectedResource?: ProtectedResourceSettings | undefined;
}

export function createGraphQLServer({
  services,
  tokens,
  rateLimiter,
  metrics,
  logger,
  graphiqlToken,
  graphiql = true,
  introspection = true,
  protectedResource,
}: GraphQLServerOptions): GraphQLServer {
  return createYoga<ServerContext & InitialContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    extraParamNames: PERSISTED_DOCUMENT_PARAMS,
    logging: {
      debug: (...args) => logger.debug(logEntry(args)),
      info: (...args) => logger.info(logEntry(args)),
      warn: (...args) => logger.warn(logEntry(args)),
      error: (...args) => logger.error(logEntry(args)),
    },
    graphiql: graphiql ? graphiqlOptions(graphiqlToken) : false,
    // The router answers CORS for every door alike (src/http/cors.ts); Yoga's own would reflect any Origin.
    cors: false,
    renderGraphiQL: renderGraphiQLPage,
    context: async ({ request, principal, origin, res }) => {
      // The adapters and graphql-ws verified their caller already; a request of its own is verified here,
      // and its token's expiry kept for the subscriptions it opens (subscription-token-expiry.ts).
      const session = principal ? { principal, expiresAtMs: undefined } : await authenticate(tokens, request, protectedResource);
      await admit(rateLimiter, session.principal, metrics);
      const from = origin ?? httpOrigin(request, res);
      return {
        principal: session.principal,
        tokenExpiresAtMs: session.expiresAtMs,
        services,
        loaders: createLoaders(services),
        origin: from,
        audit: createAccessCollector(services.audit, session.principal, from),
      };
    },
    maskedErrors: {
      maskError(error, message, isDev) {
        const original = error instanceof GraphQLError ? error.originalError : error;
        if (original instanceof BatonError) return toGraphQLError(original, error);
        // PostgreSQL or Redis not answering is no bug: 503 and Retry-After, so the caller retries.
        const unavailable = asUnavailable(original);
        if (unavailable) {
          logger.warn({ err: original, dependency: unavailable.dependency }, 'dependency unavailable');
          return toGraphQLError(unavailable, error);
        }
        return maskUnexpectedError(error, message, isDev);
      },
    },
    plugins: [
      useQueryStringJson(),
      usePersistedDocuments(),
      ...useQueryLimits(),
      useVariableErrorsAsBadUserInput(),
      ...(introspection ? [] : [useNoIntrospection()]),
      useOperationMetrics(metrics.registry),
      useActiveSubscriptions(metrics),
      useForbiddenRefusals({ metrics, logger }),
      useSubscriptionsEndAtTokenExpiry(),
      useAuditLog(),
    ],
  });
}

/**
 * A missing or bad token is the caller's mistake, not the server's: answered as
 * a GraphQLError (401, pointing at the protected-resource metadata), which Yoga
 * neither masks nor logs as unexpected. An identity provider that does not answer
 * is no fault of the token's: UNAVAILABLE (503, Retry-After).
 */
async function authenticate(tokens: TokenService, request: Request, protectedResource: ProtectedResourceSettings | undefined): Promise<TokenSession> {
  try {
    return await tokens.authenticateSession(request.headers.get('authorization'));
  } catch (error) {
    if (error instanceof BatonError) throw toGraphQLError(error, undefined, protectedResource && bearerChallenge(request, '', protectedResource));
    throw error;
  }
}

/** A request to /graphql itself: over SSE when it asks for an event stream; its request id is the one the router answers with. */
function httpOrigin(request: Request, response: ServerResponse | undefined): RequestOrigin {
  const door = request.headers.get('accept')?.includes('text/event-stream') ? 'sse' : 'graphql-http';
  const requestId = response?.getHeader('x-request-id') ?? request.headers.get('x-request-id');
  return { door, requestId: typeof requestId === 'string' ? requestId : null };
}

/** Counts the operation against the caller's limit; over it, the operation is refused with 429 before it runs. */
async function admit(rateLimiter: RateLimiter, caller: Principal, metrics: Metrics): Promise<void> {
  const decision = await rateLimiter.consume(caller.subject);
  if (decision.allowed) return;
  metrics.rateLimitedOperations.inc();
  throw toGraphQLError(new RateLimitedError(decision.limit, decision.resetSeconds), undefined);
}

/** Yoga logs like console (any arguments); pino wants an object, then a message. */
function logEntry(args: unknown[]): { err?: unknown; msg: string } {
  const error = args.find((arg) => arg instanceof Error);
  const words = args.filter((arg) => !(arg instanceof Error)).map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg)));
  return { ...(error ? { err: error } : {}), msg: words.join(' ') || (error as Error | undefined)?.message || '' };
}

function toGraphQLError(error: BatonError, located: unknown, challenge = 'Bearer'): GraphQLError {
  const where = located instanceof GraphQLError ? { nodes: located.nodes, path: located.path } : {};
  return new GraphQLError(error.message, {
    ...where,
    extensions: {
      code: error.code,
      ...(error instanceof InputError ? { issues: error.issues } : {}),
      // Only a request without valid credentials changes the HTTP status; field
      // errors (FORBIDDEN, BAD_USER_INPUT) stay in a 200 response, as GraphQL intends.
      ...(error.code === 'UNAUTHENTICATED' ? { http: { status: 401, headers: { 'WWW-Authenticate': challenge } } } : {}),
      ...(error instanceof RateLimitedError || error instanceof UnavailableError
        ? {
            retryAfterSeconds: error.retryAfterSeconds,
            http: { status: HTTP_STATUS_BY_CODE[error.code], headers: { 'Retry-After': String(error.retryAfterSeconds) } },
          }
        : {}),
    },
  });
}

/**
 * Variables that do not coerce (an unknown enum value, a missing required
 * field) are bad input too: say so with the same code as every other input error.
 */
function useVariableErrorsAsBadUserInput(): Plugin {
  return {
    onExecute() {
      return {
        onExecuteDone({ result }) {
          if (!('errors' in result) || !result.errors || ('data' in result && result.data !== undefined)) return;
          for (const error of result.errors) {
            if (error.message.startsWith('Variable "$') && error.extensions.code === undefined) {
              (error.extensions as Record<string, unknown>).code = 'BAD_USER_INPUT';
            }
          }
        },
      };
    },
  };
}
