// JSON-RPC 2.0 framing beyond the specification's own examples (those are in
// jsonrpc-spec-examples.test.ts): request validation, errors thrown by methods.
import { describe, expect, it, vi } from 'vitest';
import { answer, type Dispatch, failure, JsonRpcError, JsonRpcErrorCode } from '../../src/jsonrpc/protocol.js';
import { exampleMethods } from '../support/jsonrpc-example-methods.js';

const { dispatch } = exampleMethods();

const noInternalError = (error: unknown) => {
  throw new Error(`unexpected internal error: ${String(error)}`);
};

const call = (payload: unknown, onInternalError: (error: unknown) => void = noInternalError) => answer(payload, dispatch, onInternalError);

/** An Invalid Request response: the specification's message, what was wrong in data.reason. */
const invalidRequest = (id: string | number | null = null) => ({
  jsonrpc: '2.0',
  error: { code: -32600, message: 'Invalid Request', data: { reason: expect.any(String) } },
  id,
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

  it("says in data.reason what was wrong, under the specification's message", async () => {
    expect(await call({ jsonrpc: '2.0', method: 1, id: 12 })).toStrictEqual({
      jsonrpc: '2.0',
      error: { code: -32600, message: 'Invalid Request', data: { reason: '"method" must be a string' } },
      id: 12,
    });
    expect(await call([])).toStrictEqual({ jsonrpc: '2.0', error: { code: -32600, message: 'Invalid Request', data: { reason: 'an empty batch' } }, id: null });
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
