// JSON-RPC 2.0 framing against section 7 ("Examples") of the specification,
// https://www.jsonrpc.org/specification#examples, with a small in-test dispatch.
import { describe, expect, it, vi } from 'vitest';
import {
  answer,
  type Dispatch,
  failure,
  JsonRpcError,
  JsonRpcErrorCode,
  type JsonRpcCall,
  parseError,
} from '../../src/mcp/jsonrpc/protocol.js';

/** The methods the specification's examples call. */
const dispatch: Dispatch = async ({ method, params }: JsonRpcCall) => {
  switch (method) {
    case 'subtract': {
      if (Array.isArray(params)) return (params[0] as number) - (params[1] as number);
      const { minuend, subtrahend } = params as { minuend: number; subtrahend: number };
      return minuend - subtrahend;
    }
    case 'sum':
      return (params as number[]).reduce((total, x) => total + x, 0);
    case 'update':
    case 'notify_hello':
    case 'notify_sum':
      return undefined;
    case 'get_data':
      return ['hello', 5];
    default:
      throw new JsonRpcError(JsonRpcErrorCode.METHOD_NOT_FOUND, 'Method not found');
  }
};

const noInternalError = (error: unknown) => {
  throw new Error(`unexpected internal error: ${String(error)}`);
};

const call = (payload: unknown, onInternalError: (error: unknown) => void = noInternalError) =>
  answer(payload, dispatch, onInternalError);

/** An Invalid Request response; the message may add detail after "Invalid Request". */
const invalidRequest = (id: string | number | null = null) => ({
  jsonrpc: '2.0',
  error: { code: -32600, message: expect.stringMatching(/^Invalid Request/) },
  id,
});

describe('JSON-RPC 2.0 specification examples (section 7)', () => {
  it('rpc call with positional parameters', async () => {
    expect(await call({ jsonrpc: '2.0', method: 'subtract', params: [42, 23], id: 1 })).toEqual({ jsonrpc: '2.0', result: 19, id: 1 });
    expect(await call({ jsonrpc: '2.0', method: 'subtract', params: [23, 42], id: 2 })).toEqual({ jsonrpc: '2.0', result: -19, id: 2 });
  });

  it('rpc call with named parameters', async () => {
    expect(await call({ jsonrpc: '2.0', method: 'subtract', params: { subtrahend: 23, minuend: 42 }, id: 3 })).toEqual({
      jsonrpc: '2.0',
      result: 19,
      id: 3,
    });
    expect(await call({ jsonrpc: '2.0', method: 'subtract', params: { minuend: 42, subtrahend: 23 }, id: 4 })).toEqual({
      jsonrpc: '2.0',
      result: 19,
      id: 4,
    });
  });

  it('a notification gets no response', async () => {
    expect(await call({ jsonrpc: '2.0', method: 'update', params: [1, 2, 3, 4, 5] })).toBeUndefined();
  });

  it('a notification of a method that does not exist gets no response either', async () => {
    expect(await call({ jsonrpc: '2.0', method: 'foobar' })).toBeUndefined();
  });

  it('rpc call of non-existent method', async () => {
    expect(await call({ jsonrpc: '2.0', method: 'foobar', id: '1' })).toEqual({
      jsonrpc: '2.0',
      error: { code: -32601, message: 'Method not found' },
      id: '1',
    });
  });

  it('rpc call with invalid JSON: the HTTP layer answers with parseError', () => {
    // '{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]' never reaches `answer`.
    const response = parseError('x');
    expect(response).toEqual({ jsonrpc: '2.0', error: { code: -32700, message: expect.stringMatching(/^Parse error/) }, id: null });
    expect(JsonRpcErrorCode.PARSE_ERROR).toBe(-32700);
  });

  it('rpc call with invalid Request object', async () => {
    expect(await call({ jsonrpc: '2.0', method: 1, params: 'bar' })).toEqual(invalidRequest(null));
  });

  it('rpc call with an empty Array answers a single Invalid Request, not an array', async () => {
    const response = await call([]);
    expect(Array.isArray(response)).toBe(false);
    expect(response).toEqual(invalidRequest(null));
  });

  it('rpc call with an invalid Batch (but not empty) answers an array of one', async () => {
    expect(await call([1])).toEqual([invalidRequest(null)]);
  });

  it('rpc call with invalid Batch answers one error per entry', async () => {
    expect(await call([1, 2, 3])).toEqual([invalidRequest(null), invalidRequest(null), invalidRequest(null)]);
  });

  it('rpc call Batch: results, errors and no responses for notifications', async () => {
    const response = await call([
      { jsonrpc: '2.0', method: 'sum', params: [1, 2, 4], id: '1' },
      { jsonrpc: '2.0', method: 'notify_hello', params: [7] },
      { jsonrpc: '2.0', method: 'subtract', params: [42, 23], id: '2' },
      { foo: 'boo' },
      { jsonrpc: '2.0', method: 'foo.get', params: { name: 'myself' }, id: '5' },
      { jsonrpc: '2.0', method: 'get_data', id: '9' },
    ]);
    const expected = [
      { jsonrpc: '2.0', result: 7, id: '1' },
      { jsonrpc: '2.0', result: 19, id: '2' },
      invalidRequest(null),
      { jsonrpc: '2.0', error: { code: -32601, message: 'Method not found' }, id: '5' },
      { jsonrpc: '2.0', result: ['hello', 5], id: '9' },
    ];
    // The specification allows any order; exactly these five, no more.
    expect(response).toHaveLength(expected.length);
    expect(response).toEqual(expect.arrayContaining(expected));
  });

  it('rpc call Batch of notifications only answers nothing', async () => {
    expect(
      await call([
        { jsonrpc: '2.0', method: 'notify_sum', params: [1, 2, 4] },
        { jsonrpc: '2.0', method: 'notify_hello', params: [7] },
      ]),
    ).toBeUndefined();
  });
});

describe('request validation', () => {
  it('answers an Invalid Request with the id when only the version is wrong', async () => {
    expect(await call({ jsonrpc: '1.0', method: 'subtract', params: [2, 1], id: 7 })).toEqual(invalidRequest(7));
    expect(await call({ method: 'subtract', params: [2, 1], id: 'a' })).toEqual(invalidRequest('a'));
  });

  it('rejects params that are neither an array nor an object, keeping the id', async () => {
    expect(await call({ jsonrpc: '2.0', method: 'subtract', params: 'bar', id: 8 })).toEqual(invalidRequest(8));
    expect(await call({ jsonrpc: '2.0', method: 'subtract', params: null, id: 9 })).toEqual(invalidRequest(9));
  });

  it('answers id null when the id itself is invalid', async () => {
    expect(await call({ jsonrpc: '2.0', method: 'get_data', id: { nested: true } })).toEqual(invalidRequest(null));
    expect(await call({ jsonrpc: '2.0', method: 'get_data', id: [1] })).toEqual(invalidRequest(null));
  });

  it('treats id null as a call (owed a response), not a notification', async () => {
    expect(await call({ jsonrpc: '2.0', method: 'get_data', id: null })).toEqual({ jsonrpc: '2.0', result: ['hello', 5], id: null });
  });

  it('rejects non-object requests', async () => {
    expect(await call('subtract')).toEqual(invalidRequest(null));
    expect(await call(null)).toEqual(invalidRequest(null));
  });

  it('answers result null for a call whose method returns nothing', async () => {
    expect(await call({ jsonrpc: '2.0', method: 'update', params: [1], id: 10 })).toEqual({ jsonrpc: '2.0', result: null, id: 10 });
  });

  it('accepts a call without params', async () => {
    expect(await call({ jsonrpc: '2.0', method: 'get_data', id: 11 })).toEqual({ jsonrpc: '2.0', result: ['hello', 5], id: 11 });
  });
});

describe('errors thrown by methods', () => {
  it('passes a JsonRpcError through with its code, message and data', async () => {
    const failing: Dispatch = async () => {
      throw new JsonRpcError(JsonRpcErrorCode.INVALID_PARAMS, 'Invalid params', { field: 'lead_data.industry' });
    };
    expect(await answer({ jsonrpc: '2.0', method: 'x', id: 1 }, failing, noInternalError)).toEqual({
      jsonrpc: '2.0',
      error: { code: -32602, message: 'Invalid params', data: { field: 'lead_data.industry' } },
      id: 1,
    });
  });

  it('answers any other error as -32603 Internal error, leaking nothing, and reports it', async () => {
    const secret = new Error('connection to postgres://admin:hunter2@db failed');
    const failing: Dispatch = async () => {
      throw secret;
    };
    const onInternalError = vi.fn();
    const response = await answer({ jsonrpc: '2.0', method: 'x', id: 'req-1' }, failing, onInternalError);
    expect(response).toStrictEqual({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal error' }, id: 'req-1' });
    const serialized = JSON.stringify(response);
    expect(serialized).not.toContain('hunter2');
    expect(serialized).not.toContain('stack');
    expect(serialized).not.toContain(secret.message);
    expect(onInternalError).toHaveBeenCalledTimes(1);
    expect(onInternalError).toHaveBeenCalledWith(secret);
  });

  it('keeps answering the rest of a batch when one entry fails internally', async () => {
    const flaky: Dispatch = async ({ method }) => {
      if (method === 'boom') throw new Error('boom');
      return 'ok';
    };
    const onInternalError = vi.fn();
    const response = await answer(
      [
        { jsonrpc: '2.0', method: 'fine', id: 1 },
        { jsonrpc: '2.0', method: 'boom', id: 2 },
      ],
      flaky,
      onInternalError,
    );
    expect(response).toHaveLength(2);
    expect(response).toEqual(
      expect.arrayContaining([
        { jsonrpc: '2.0', result: 'ok', id: 1 },
        { jsonrpc: '2.0', error: { code: -32603, message: 'Internal error' }, id: 2 },
      ]),
    );
    expect(onInternalError).toHaveBeenCalledTimes(1);
  });

  it('owes no response for a notification whose method fails', async () => {
    const failing: Dispatch = async () => {
      throw new Error('boom');
    };
    const onInternalError = vi.fn();
    expect(await answer({ jsonrpc: '2.0', method: 'x' }, failing, onInternalError)).toBeUndefined();
    // Nobody hears about it from the response, so the server must.
    expect(onInternalError).toHaveBeenCalledTimes(1);
  });
});

describe('failure', () => {
  it('omits data when there is none', () => {
    expect(failure(3, -32601, 'Method not found')).toStrictEqual({ jsonrpc: '2.0', error: { code: -32601, message: 'Method not found' }, id: 3 });
    expect(failure(null, -32001, 'Unauthenticated', { reason: 'expired' })).toStrictEqual({
      jsonrpc: '2.0',
      error: { code: -32001, message: 'Unauthenticated', data: { reason: 'expired' } },
      id: null,
    });
  });

  it('uses the standard codes', () => {
    expect(JsonRpcErrorCode).toMatchObject({
      PARSE_ERROR: -32700,
      INVALID_REQUEST: -32600,
      METHOD_NOT_FOUND: -32601,
      INVALID_PARAMS: -32602,
      INTERNAL_ERROR: -32603,
    });
  });
});
