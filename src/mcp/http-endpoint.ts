// POST /mcp: MCP clients (over Streamable HTTP, ./streamable-http.ts) and plain
// JSON-RPC 2.0 clients (src/jsonrpc/http-handler.ts) share the endpoint; MCP
// rides on JSON-RPC, so the endpoint is MCP's and hands plain JSON-RPC on.
// Authentication is per HTTP request (Authorization: Bearer); a 401 points at
// the protected-resource metadata.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenService } from '../auth/jwt.js';
import { OVERSIZED_BODY_HEADERS, readJsonBody } from '../http/json-body.js';
import { bearerChallenge, type ProtectedResourceSettings } from '../http/protected-resource.js';
import { sendJson } from '../http/respond.js';
import type { Logger } from '../logger.js';
import type { GraphQLExecutor } from '../adapter/graphql-executor.js';
import { authenticateRequest } from '../adapter/request-authentication.js';
import { httpRequestOrigin } from '../audit/doors.js';
import { answerOverHttp } from '../jsonrpc/http-handler.js';
import { failure, invalidRequest, JsonRpcErrorCode, parseError } from '../jsonrpc/protocol.js';
import { isMcpMessage, serveMcpRequest } from './streamable-http.js';

export function createMcpEndpoint(executor: GraphQLExecutor, tokens: TokenService, logger: Logger, protectedResource: ProtectedResourceSettings) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const authentication = await authenticateRequest(tokens, request);
    if (!authentication.ok) {
      sendJson(response, 401, failure(null, JsonRpcErrorCode.UNAUTHENTICATED, authentication.error.message), {
        // Where an MCP client finds the authorization server (MCP authorization spec; src/http/protected-resource.ts).
        'www-authenticate': bearerChallenge(request, '/mcp', protectedResource),
      });
      return;
    }
    const body = await readJsonBody(request);
    if (!body.ok) {
      if (body.reason === 'too_large') sendJson(response, 413, invalidRequest(null, body.message), OVERSIZED_BODY_HEADERS);
      else sendJson(response, 200, parseError(body.message));
      return;
    }
    if (isMcpMessage(body.value)) {
      const caller = { ...authentication.caller, origin: httpRequestOrigin('mcp', response) };
      await serveMcpRequest(request, response, body.value, { executor, caller });
    } else
      await answerOverHttp(response, body.value, { executor, caller: { ...authentication.caller, origin: httpRequestOrigin('jsonrpc', response) }, logger });
  };
}
