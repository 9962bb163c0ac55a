// The methods the JSON-RPC 2.0 specification's examples call (subtract, sum,
// get_data and the notifications), as a dispatch for the protocol layer's tests.
import { type Dispatch, JsonRpcError, JsonRpcErrorCode } from '../../src/jsonrpc/protocol.js';

/** `calls` records what the dispatch was asked, in order: notifications run too, they only get no response. */
export function exampleMethods(): { dispatch: Dispatch; calls: { method: string; params: unknown }[] } {
  const calls: { method: string; params: unknown }[] = [];
  const dispatch: Dispatch = async ({ method, params }) => {
    calls.push({ method, params });
    switch (method) {
      case 'subtract': {
        if (Array.isArray(params)) return (params[0] as number) - (params[1] as number);
        const { minuend, subtrahend } = params as { minuend: number; subtrahend: number };
        return minuend - subtrahend;
      }
      case 'sum':
        return (params as number[]).reduce((total, x) => total + x, 0);
      case 'get_data':
        return ['hello', 5];
      case 'update':
      case 'notify_hello':
      case 'notify_sum':
        return undefined;
      default:
        throw new JsonRpcError(JsonRpcErrorCode.METHOD_NOT_FOUND, 'Method not found');
    }
  };
  return { dispatch, calls };
}
