// POST /mcp: plain JSON-RPC 2.0 clients, and MCP clients (src/mcp/
// streamable-http.ts says how the two are told apart). Authentication is per HTTP
// request (Authorization: Bearer); JSON-RPC errors travel in 200 responses, as the
// protocol intends; a body of notifications only gets 202 and no content.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenService } from '../auth/jwt.js';
import { readJsonBody } from '../http/json-body.js';
import { sendJson } from '../http/respond.js';
import type { Logger } from '../logger.js';
import type { GraphQLExecutor } from '../adapter/graphql-executor.js';
import { isMcpMessage, serveMcpRequest } from '../mcp/streamable-http.js';
import { authenticateRequest } from '../adapter/request-authentication.js';
import { createDispatch } from './methods.js';
import { answer, failure, invalidRequest, JsonRpcErrorCode, parseError } from './protocol.js';

export function createJsonRpcHandler(executor: GraphQLExecutor, tokens: TokenService, logger: Logger) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const authentication = await authenticateRequest(tokens, request);
    if (!authentication.ok) {
      sendJson(response, 401, failure(null, JsonRpcErrorCode.UNAUTHENTICATED, authentication.error.message), { 'www-authenticate': 'Bearer' });
      return;
    }
    const body = await readJsonBody(request);
    if (!body.ok) {
      if (body.reason === 'too_large') sendJson(response, 413, invalidRequest(null, body.message));
      else sendJson(response, 200, parseError(body.message));
      return;
    }
    if (isMcpMessage(body.value)) {
      await serveMcpRequest(request, response, body.value, { executor, caller: authentication.caller });
      return;
    }
    const dispatch = createDispatch(executor, authentication.caller);
    const reply = await answer(body.value, dispatch, (error) => logger.error({ err: error }, 'JSON-RPC method failed'));
    if (reply === undefined) {
      response.writeHead(202).end();
      return;
    }
    sendJson(response, 200, reply);
  };
}
