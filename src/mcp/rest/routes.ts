// The specification's REST API (Agent Orchestrator API, /api/v1): each route is
// an adapter operation; failures become HTTP statuses with a JSON error body.
//
//   POST /api/v1/leads                               LeadProcessingRequest → LeadProcessingResponse
//   POST /api/v1/campaigns/{campaign_id}/optimize    OptimizationRequest → OptimizationResponse
//   GET  /api/v1/agents/handoffs/analytics?since&until  → HandoffAnalytics (plus extras)
//   GET  /api/v1/system/status                        → SystemStatus
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenService } from '../../auth/jwt.js';
import { HTTP_STATUS_BY_CODE } from '../../errors.js';
import { readJsonBody } from '../../http/json-body.js';
import { sendJson } from '../../http/respond.js';
import type { RouteParams } from '../../http/router.js';
import { runAdapterOperation, type AnyAdapterOperation, type OperationFailure } from '../adapter-operation.js';
import { handoffAnalyticsOperation, optimizeCampaignOperation } from '../campaign-operations.js';
import type { GraphQLExecutor } from '../graphql-executor.js';
import { processLeadOperation } from '../lead-operations.js';
import { systemStatusOperation } from '../system-operations.js';
import { authenticateRequest } from '../request-authentication.js';

/** What a route's operation may read of an HTTP request. */
export interface RestRequest {
  /** The path template's named segments. */
  params: RouteParams;
  /** The query string; a repeated parameter is an array. */
  query: Record<string, string | string[]>;
  /** The parsed JSON body (POST), or undefined when the request has none. */
  body: unknown;
}

export interface RestRoute {
  method: 'GET' | 'POST';
  /** Exact, or a template with `{name}` segments (src/http/router.ts). */
  path: string;
  operation: AnyAdapterOperation;
  /** The request the operation validates; the body when omitted. */
  request?: (http: RestRequest) => unknown;
}

export const REST_ROUTES: RestRoute[] = [
  { method: 'POST', path: '/api/v1/leads', operation: processLeadOperation },
  {
    method: 'POST',
    path: '/api/v1/campaigns/{campaign_id}/optimize',
    operation: optimizeCampaignOperation,
    request: ({ params, body }) => ({ campaign_id: params.campaign_id, body }),
  },
  { method: 'GET', path: '/api/v1/agents/handoffs/analytics', operation: handoffAnalyticsOperation, request: ({ query }) => query },
  { method: 'GET', path: '/api/v1/system/status', operation: systemStatusOperation, request: ({ query }) => query },
];

export function createRestHandler(route: RestRoute, executor: GraphQLExecutor, tokens: TokenService) {
  const toRequest = route.request ?? (({ body }: RestRequest) => body);
  return async (request: IncomingMessage, response: ServerResponse, params: RouteParams = {}): Promise<void> => {
    const authentication = await authenticateRequest(tokens, request);
    if (!authentication.ok) {
      sendError(response, { code: 'UNAUTHENTICATED', message: authentication.error.message, issues: [] });
      return;
    }
    const body = route.method === 'POST' && hasBody(request) ? await readJsonBody(request) : { ok: true as const, value: undefined };
    if (!body.ok) {
      sendJson(response, body.reason === 'too_large' ? 413 : 400, {
        error: { code: body.reason === 'too_large' ? 'PAYLOAD_TOO_LARGE' : 'BAD_USER_INPUT', message: body.message },
      });
      return;
    }
    const http: RestRequest = { params, query: queryOf(request), body: body.value };
    const outcome = await runAdapterOperation(route.operation, toRequest(http), executor, authentication.caller);
    if (outcome.ok) sendJson(response, 200, outcome.value);
    else sendError(response, outcome.failure);
  };
}

/** A request without Content-Length or Transfer-Encoding, or with Content-Length 0, has no body (RFC 9112 §6.3). */
function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function queryOf(request: IncomingMessage): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of new URL(request.url ?? '/', 'http://localhost').searchParams) {
    const seen = query[key];
    query[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return query;
}

function sendError(response: ServerResponse, { code, message, issues }: OperationFailure): void {
  const status = code === 'INTERNAL' ? 500 : HTTP_STATUS_BY_CODE[code];
  const headers: Record<string, string> = code === 'UNAUTHENTICATED' ? { 'www-authenticate': 'Bearer' } : {};
  sendJson(response, status, { error: { code, message, ...(issues.length > 0 ? { issues } : {}) } }, headers);
}
