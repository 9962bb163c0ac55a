// The adapter's front doors as routes: JSON-RPC on /mcp, the specification's REST
// API and its OpenAPI document. The API mounts them beside /graphql (in-process
// executor); the standalone sidecar (src/sidecar.ts) mounts the very same routes
// with an executor that forwards to GRAPHQL_URL.
import type { IncomingMessage } from 'node:http';
import type { TokenService } from '../auth/jwt.js';
import { type ProtectedResourceSettings, protectedResourceRoutes } from '../http/protected-resource.js';
import { sendJson } from '../http/respond.js';
import type { Route } from '../http/router.js';
import type { Logger } from '../logger.js';
import { BATON_VERSION } from '../version.js';
import type { GraphQLExecutor } from '../adapter/graphql-executor.js';
import type { IdempotencyStore } from '../rest/idempotency/idempotency-store.js';
import { buildOpenRpcDocument } from '../jsonrpc/openrpc.js';
import { failure, JsonRpcErrorCode } from '../jsonrpc/protocol.js';
import { createMcpEndpoint } from '../mcp/http-endpoint.js';
import { OPENAPI_DOCUMENT } from '../rest/openapi.js';
import { createRestHandler, REST_ROUTES } from '../rest/routes.js';
import { auditLogExportRoute } from '../rest/audit-log-export.js';

export interface AdapterDependencies {
  executor: GraphQLExecutor;
  tokens: TokenService;
  logger: Logger;
  /** Idempotency-Key records of the REST routes that opt in: createIdempotencyStore({ redisUrl, keyPrefix }, logger). */
  idempotency: IdempotencyStore;
  /** PUBLIC_URL and the authorization server: /.well-known/oauth-protected-resource and the 401 challenge of /mcp and REST. */
  protectedResource: ProtectedResourceSettings;
}

export function createAdapterRoutes({ executor, tokens, logger, idempotency, protectedResource }: AdapterDependencies): Route[] {
  return [
    ...protectedResourceRoutes(protectedResource),
    { method: 'GET', path: '/api/v1/openapi.json', handle: (_request, response) => sendJson(response, 200, OPENAPI_DOCUMENT) },
    {
      method: 'POST',
      path: '/mcp',
      handle: createMcpEndpoint(executor, tokens, logger, protectedResource),
      unavailableBody: (message, retryAfterSeconds) => failure(null, JsonRpcErrorCode.UNAVAILABLE, message, { retry_after_seconds: retryAfterSeconds }),
    },
    {
      method: 'GET',
      path: '/mcp/openrpc.json',
      handle: (request, response) => sendJson(response, 200, buildOpenRpcDocument(BATON_VERSION, endpointOf(request, '/mcp'))),
    },
    ...REST_ROUTES.map((route) => ({
      method: route.method,
      path: route.path,
      handle: createRestHandler(route, executor, tokens, { idempotency, logger, protectedResource }),
    })),
    auditLogExportRoute(executor, tokens, protectedResource),
  ];
}

/** The absolute URL of `path` as the caller reached this server (behind a proxy: X-Forwarded-Proto). */
function endpointOf(request: IncomingMessage, path: string): string {
  const forwarded = request.headers['x-forwarded-proto'];
  const protocol = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim() || 'http';
  return `${protocol}://${request.headers.host ?? 'localhost'}${path}`;
}
