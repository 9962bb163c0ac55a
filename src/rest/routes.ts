// The specification's REST API (Agent Orchestrator API, /api/v1): each route is
// an adapter operation; failures become HTTP statuses with a JSON error body.
//
//   POST /api/v1/leads                               LeadProcessingRequest → LeadProcessingResponse
//   POST /api/v1/campaigns/{campaign_id}/optimize    OptimizationRequest → OptimizationResponse
//   GET  /api/v1/agents/handoffs/analytics?since&until  → HandoffAnalytics (plus extras)
//   GET  /api/v1/system/status                        → SystemStatus
//
// A route with `idempotent: true` honours an Idempotency-Key header
// (src/rest/idempotency/idempotent-request.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenService } from '../auth/jwt.js';
import { HTTP_STATUS_BY_CODE } from '../errors.js';
import { readJsonBody } from '../http/json-body.js';
import { sendJson } from '../http/respond.js';
import type { RouteParams } from '../http/router.js';
import type { Logger } from '../logger.js';
import { runAdapterOperation, type AnyAdapterOperation, type OperationFailure } from '../adapter/adapter-operation.js';
import { handoffAnalyticsOperation, optimizeCampaignOperation } from '../adapter/campaign-operations.js';
import type { GraphQLExecutor } from '../adapter/graphql-executor.js';
import type { IdempotencyStore, StoredResponse } from './idempotency/idempotency-store.js';
import { readIdempotencyKey, requestFingerprint, runIdempotently, scopedKey } from './idempotency/idempotent-request.js';
import { processLeadOperation } from '../adapter/lead-operations.js';
import { systemStatusOperation } from '../adapter/system-operations.js';
import { authenticateRequest } from '../adapter/request-authentication.js';

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
  /** Honours an Idempotency-Key header: a repeated request replays the first response. */
  idempotent?: boolean;
}

export const REST_ROUTES: RestRoute[] = [
  { method: 'POST', path: '/api/v1/leads', operation: processLeadOperation, idempotent: true },
  {
    method: 'POST',
    path: '/api/v1/campaigns/{campaign_id}/optimize',
    operation: optimizeCampaignOperation,
    request: ({ params, body }) => ({ campaign_id: params.campaign_id, body }),
  },
  { method: 'GET', path: '/api/v1/agents/handoffs/analytics', operation: handoffAnalyticsOperation, request: ({ query }) => query },
  { method: 'GET', path: '/api/v1/system/status', operation: systemStatusOperation, request: ({ query }) => query },
];

export interface RestHandlerOptions {
  /** Where idempotent routes keep their keys; without it they ignore the header. */
  idempotency?: IdempotencyStore | undefined;
  logger?: Pick<Logger, 'error' | 'warn'> | undefined;
}

export function createRestHandler(route: RestRoute, executor: GraphQLExecutor, tokens: TokenService, { idempotency, logger }: RestHandlerOptions = {}) {
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
    const run = async (): Promise<StoredResponse> => {
      const outcome = await runAdapterOperation(route.operation, toRequest(http), executor, authentication.caller);
      return outcome.ok ? { status: 200, body: outcome.value } : errorResponse(outcome.failure);
    };
    const idempotencyKey = route.idempotent && idempotency ? readIdempotencyKey(request) : undefined;
    if (!idempotency || idempotencyKey === undefined) {
      send(response, await run());
      return;
    }
    if ('invalid' in idempotencyKey) {
      send(response, idempotencyKey.invalid);
      return;
    }
    const path = (request.url ?? '/').split('?', 1)[0]!;
    const { response: reply, headers } = await runIdempotently({
      store: idempotency,
      key: scopedKey(authentication.caller.principal, idempotencyKey.key),
      fingerprint: requestFingerprint(route.method, path, body.value),
      run,
      logger,
    });
    send(response, reply, headers);
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

function errorResponse({ code, message, issues, retryAfterSeconds }: OperationFailure): StoredResponse {
  const status = code === 'INTERNAL' ? 500 : HTTP_STATUS_BY_CODE[code];
  const extra = { ...(issues.length > 0 ? { issues } : {}), ...(retryAfterSeconds === undefined ? {} : { retry_after_seconds: retryAfterSeconds }) };
  return { status, body: { error: { code, message, ...extra } } };
}

function sendError(response: ServerResponse, failure: OperationFailure): void {
  send(response, errorResponse(failure));
}

/** A status and body as they are sent the first time and replayed: they alone decide the extra headers. */
function send(response: ServerResponse, { status, body }: StoredResponse, headers: Record<string, string> = {}): void {
  const retryAfter = (body as { error?: { retry_after_seconds?: unknown } } | null)?.error?.retry_after_seconds;
  sendJson(response, status, body, {
    ...(status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
    ...(status === 429 && typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : {}),
    ...headers,
  });
}
