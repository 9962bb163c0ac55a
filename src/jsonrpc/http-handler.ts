// Plain JSON-RPC 2.0 over HTTP: the answer to a POST /mcp body that is not an MCP
// message (src/mcp/http-endpoint.ts receives the request, authenticates it and
// tells the two apart). JSON-RPC errors travel in 200 responses, as the protocol
// intends; a body of notifications only gets 202 and no content.
import type { ServerResponse } from 'node:http';
import { sendJson } from '../http/respond.js';
import type { Logger } from '../logger.js';
import type { Caller, GraphQLExecutor } from '../adapter/graphql-executor.js';
import { createDispatch } from './methods.js';
import { answer } from './protocol.js';

export async function answerOverHttp(
  response: ServerResponse,
  payload: unknown,
  { executor, caller, logger }: { executor: GraphQLExecutor; caller: Caller; logger: Logger },
): Promise<void> {
  const reply = await answer(payload, createDispatch(executor, caller), (error) => logger.error({ err: error }, 'JSON-RPC method failed'));
  if (reply === undefined) {
    response.writeHead(202).end();
    return;
  }
  sendJson(response, 200, reply);
}
