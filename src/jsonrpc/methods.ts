// Baton's JSON-RPC methods (the specification's MCP Server API): one per adapter
// operation that names one (its `jsonRpc` binding, src/adapter/door-bindings.ts).
// Failures become JSON-RPC errors with the codes below.
import type { AdapterOutcome, AnyAdapterOperation, FailureCode } from '../adapter/adapter-operation.js';
import { runAdapterOperation } from '../adapter/adapter-operation.js';
import type { Caller, GraphQLExecutor } from '../adapter/graphql-executor.js';
import { ADAPTER_OPERATIONS } from '../adapter/operations/all-operations.js';
import { JsonRpcError, JsonRpcErrorCode, type Dispatch } from './protocol.js';

/** Method name → operation; each operation's definition documents its params and result. */
export const JSON_RPC_METHODS: Readonly<Record<string, AnyAdapterOperation>> = Object.fromEntries(
  ADAPTER_OPERATIONS.flatMap((operation) => (operation.jsonRpc ? [[operation.jsonRpc.method, operation] as const] : [])),
);

const ERROR_CODE_BY_FAILURE: Record<FailureCode, number> = {
  BAD_USER_INPUT: JsonRpcErrorCode.INVALID_PARAMS,
  UNAUTHENTICATED: JsonRpcErrorCode.UNAUTHENTICATED,
  FORBIDDEN: JsonRpcErrorCode.FORBIDDEN,
  NOT_FOUND: JsonRpcErrorCode.NOT_FOUND,
  CONFLICT: JsonRpcErrorCode.CONFLICT,
  RATE_LIMITED: JsonRpcErrorCode.RATE_LIMITED,
  UNAVAILABLE: JsonRpcErrorCode.UNAVAILABLE,
  INTERNAL: JsonRpcErrorCode.INTERNAL_ERROR,
};

export function createDispatch(executor: GraphQLExecutor, caller: Caller): Dispatch {
  return async ({ method, params }) => {
    const operation = Object.hasOwn(JSON_RPC_METHODS, method) ? JSON_RPC_METHODS[method] : undefined;
    if (!operation) throw new JsonRpcError(JsonRpcErrorCode.METHOD_NOT_FOUND, 'Method not found', { method });
    return unwrap(await runAdapterOperation(operation, params ?? {}, executor, caller));
  };
}

function unwrap(outcome: AdapterOutcome<unknown>): unknown {
  if (outcome.ok) return outcome.value;
  const { code, message, issues, retryAfterSeconds } = outcome.failure;
  const rpcMessage = code === 'BAD_USER_INPUT' ? `Invalid params: ${message}` : message;
  const data = issues.length > 0 ? { issues } : retryAfterSeconds === undefined ? undefined : { retry_after_seconds: retryAfterSeconds };
  throw new JsonRpcError(ERROR_CODE_BY_FAILURE[code], rpcMessage, data);
}
