// The specification's REST API (Agent Orchestrator API, /api/v1): each route is
// an adapter operation; failures become HTTP statuses with a JSON error body.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenService } from '../../auth/jwt.js';
import { HTTP_STATUS_BY_CODE } from '../../errors.js';
import { readJsonBody } from '../../http/json-body.js';
import { sendJson } from '../../http/respond.js';
import { runAdapterOperation, type AnyAdapterOperation, type OperationFailure } from '../adapter-operation.js';
import type { GraphQLExecutor } from '../graphql-executor.js';
import { processLeadOperation } from '../lead-operations.js';
import { authenticateRequest } from '../request-authentication.js';

export interface RestRoute {
  method: 'GET' | 'POST';
  path: string;
  operation: AnyAdapterOperation;
}

export const REST_ROUTES: RestRoute[] = [{ method: 'POST', path: '/api/v1/leads', operation: processLeadOperation }];

export function createRestHandler(route: RestRoute, executor: GraphQLExecutor, tokens: TokenService) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const authentication = await authenticateRequest(tokens, request);
    if (!authentication.ok) {
      sendError(response, { code: 'UNAUTHENTICATED', message: authentication.error.message, issues: [] });
      return;
    }
    const body = route.method === 'POST' ? await readJsonBody(request) : { ok: true as const, value: {} };
    if (!body.ok) {
      sendJson(response, body.reason === 'too_large' ? 413 : 400, {
        error: { code: body.reason === 'too_large' ? 'PAYLOAD_TOO_LARGE' : 'BAD_USER_INPUT', message: body.message },
      });
      return;
    }
    const outcome = await runAdapterOperation(route.operation, body.value, executor, authentication.caller);
    if (outcome.ok) sendJson(response, 200, outcome.value);
    else sendError(response, outcome.failure);
  };
}

function sendError(response: ServerResponse, { code, message, issues }: OperationFailure): void {
  const status = code === 'INTERNAL' ? 500 : HTTP_STATUS_BY_CODE[code];
  const headers: Record<string, string> = code === 'UNAUTHENTICATED' ? { 'www-authenticate': 'Bearer' } : {};
  sendJson(response, status, { error: { code, message, ...(issues.length > 0 ? { issues } : {}) } }, headers);
}
