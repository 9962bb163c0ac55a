// JSON-RPC 2.0 framing, exactly as the specification (jsonrpc.org/specification):
// single requests, batches, notifications, and the standard error codes. It
// knows nothing of Baton's methods; `dispatch` does.
//
// Errors the framing itself raises carry the specification's own messages
// ("Parse error", "Invalid Request", as section 5.1 names them and section 7's
// examples answer them); what exactly was wrong goes in `data.reason`.

export type JsonRpcId = string | number | null;

export interface JsonRpcCall {
  method: string;
  params: unknown;
}

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

export type JsonRpcResponse = { jsonrpc: '2.0'; result: unknown; id: JsonRpcId } | { jsonrpc: '2.0'; error: JsonRpcErrorObject; id: JsonRpcId };

export const JsonRpcErrorCode = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  // Implementation-defined server errors (-32000 to -32099).
  UNAUTHENTICATED: -32001,
  FORBIDDEN: -32003,
  NOT_FOUND: -32004,
  CONFLICT: -32009,
  RATE_LIMITED: -32029,
  /** PostgreSQL (or Redis, for what needs it) does not answer, or Baton is shutting down: retry after data.retry_after_seconds. */
  UNAVAILABLE: -32053,
} as const;

/** Thrown by a method to answer with a JSON-RPC error instead of a result. */
export class JsonRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

export type Dispatch = (call: JsonRpcCall) => Promise<unknown>;

/**
 * Answers a parsed request body: a response, an array of responses for a batch,
 * or `undefined` when nothing is owed (notifications only).
 */
export async function answer(
  payload: unknown,
  dispatch: Dispatch,
  onInternalError: (error: unknown) => void,
): Promise<JsonRpcResponse | JsonRpcResponse[] | undefined> {
  if (!Array.isArray(payload)) return answerOne(payload, dispatch, onInternalError);
  if (payload.length === 0) return invalidRequest(null, 'an empty batch');
  const responses = await Promise.all(payload.map((entry) => answerOne(entry, dispatch, onInternalError)));
  const owed = responses.filter((response): response is JsonRpcResponse => response !== undefined);
  return owed.length > 0 ? owed : undefined;
}

/** The answer to a body that is not JSON; `reason` says why (the parser's message). */
export function parseError(reason: string): JsonRpcResponse {
  return failure(null, JsonRpcErrorCode.PARSE_ERROR, 'Parse error', { reason });
}

/** The answer to a request that is not a valid Request object (or a body that cannot be one); `reason` says why. */
export function invalidRequest(id: JsonRpcId, reason: string): JsonRpcResponse {
  return failure(id, JsonRpcErrorCode.INVALID_REQUEST, 'Invalid Request', { reason });
}

export function failure(id: JsonRpcId, code: number, message: string, data?: unknown): JsonRpcResponse {
  return { jsonrpc: '2.0', error: data === undefined ? { code, message } : { code, message, data }, id };
}

async function answerOne(entry: unknown, dispatch: Dispatch, onInternalError: (error: unknown) => void): Promise<JsonRpcResponse | undefined> {
  const request = validateRequest(entry);
  if ('invalid' in request) return invalidRequest(request.id, request.invalid);
  try {
    const result = await dispatch({ method: request.method, params: request.params });
    return request.isNotification ? undefined : { jsonrpc: '2.0', result: result ?? null, id: request.id };
  } catch (error) {
    if (!(error instanceof JsonRpcError)) onInternalError(error);
    if (request.isNotification) return undefined;
    if (error instanceof JsonRpcError) return failure(request.id, error.code, error.message, error.data);
    return failure(request.id, JsonRpcErrorCode.INTERNAL_ERROR, 'Internal error');
  }
}

type ValidatedRequest = { method: string; params: unknown; id: JsonRpcId; isNotification: boolean } | { invalid: string; id: JsonRpcId };

function validateRequest(entry: unknown): ValidatedRequest {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return { invalid: 'a request must be a JSON object', id: null };
  }
  const request = entry as Record<string, unknown>;
  const hasId = 'id' in request;
  const id = request.id;
  const validId = !hasId || id === null || typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id));
  const replyId = validId && hasId ? (id as JsonRpcId) : null;
  if (!validId) return { invalid: '"id" must be a string, a number or null', id: null };
  if (request.jsonrpc !== '2.0') return { invalid: '"jsonrpc" must be exactly "2.0"', id: replyId };
  if (typeof request.method !== 'string') return { invalid: '"method" must be a string', id: replyId };
  if ('params' in request && (typeof request.params !== 'object' || request.params === null)) {
    return { invalid: '"params" must be an object or an array', id: replyId };
  }
  return { method: request.method, params: request.params, id: replyId, isNotification: !hasId };
}
