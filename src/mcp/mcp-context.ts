// What every MCP handler needs: the executor reaching the GraphQL API and the
// caller it acts for (authenticated once, from the HTTP request), and how an
// adapter failure reads to an MCP client.
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import type { FailureCode, OperationFailure } from '../adapter/adapter-operation.js';
import type { Caller, GraphQLExecutor } from '../adapter/graphql-executor.js';
import { JsonRpcErrorCode } from '../jsonrpc/protocol.js';

export interface McpContext {
  executor: GraphQLExecutor;
  caller: Caller;
}

/** MCP's own code for a resource that does not exist (specification: server/resources, "Error Handling"). */
const RESOURCE_NOT_FOUND = -32002;

const MCP_CODE_BY_FAILURE: Record<FailureCode, number> = {
  BAD_USER_INPUT: JsonRpcErrorCode.INVALID_PARAMS,
  UNAUTHENTICATED: JsonRpcErrorCode.UNAUTHENTICATED,
  FORBIDDEN: JsonRpcErrorCode.FORBIDDEN,
  NOT_FOUND: RESOURCE_NOT_FOUND,
  CONFLICT: JsonRpcErrorCode.CONFLICT,
  RATE_LIMITED: JsonRpcErrorCode.RATE_LIMITED,
  UNAVAILABLE: JsonRpcErrorCode.UNAVAILABLE,
  INTERNAL: JsonRpcErrorCode.INTERNAL_ERROR,
};

/** For requests answered with a JSON-RPC error (resources/read); tool calls answer `isError` results instead. */
export function toMcpError({ code, message, issues }: OperationFailure): McpError {
  return new McpError(MCP_CODE_BY_FAILURE[code], message, issues.length > 0 ? { issues } : undefined);
}
