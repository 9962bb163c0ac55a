// Every example of section 7 ("Examples") of the JSON-RPC 2.0 specification,
// https://www.jsonrpc.org/specification#examples, against the protocol layer
// (`answer`) with a dispatch implementing the methods the examples call.
//
// Each case keeps the specification's text: the request as sent (`-->`) and
// the response as expected (`<--`). The request text goes through JSON.parse
// and, when it is not JSON, `parseError`, as src/mcp/http-endpoint.ts
// does. The one addition Baton makes: the errors the framing raises itself
// (-32700, -32600) carry `data: { reason }` saying what was wrong, which section
// 5.1 allows ("data ... may be omitted"); everything else must be exactly the
// specification's response.
import { beforeEach, describe, expect, it } from 'vitest';
import { answer, parseError } from '../../src/jsonrpc/protocol.js';
import { exampleMethods } from '../support/jsonrpc-example-methods.js';

/** Fresh per test: `calls` is what the dispatch was asked, in order. */
let examples = exampleMethods();

/** Sends the request text the way the HTTP handler does: a body that is not JSON gets a Parse error. */
async function send(requestText: string) {
  let payload: unknown;
  try {
    payload = JSON.parse(requestText);
  } catch (error) {
    return parseError((error as Error).message);
  }
  return answer(payload, examples.dispatch, (error) => {
    throw new Error(`unexpected internal error: ${String(error)}`);
  });
}

/** The specification's response text, plus the `data.reason` Baton adds to the framing's own errors. */
function specResponse(responseText: string): unknown {
  const withReason = (response: { error?: { code: number } }) =>
    response.error && (response.error.code === -32700 || response.error.code === -32600)
      ? { ...response, error: { ...response.error, data: { reason: expect.any(String) } } }
      : response;
  const parsed = JSON.parse(responseText) as { error?: { code: number } } | { error?: { code: number } }[];
  return Array.isArray(parsed) ? parsed.map(withReason) : withReason(parsed);
}

async function expectExchange(requestText: string, responseText: string | undefined) {
  const response = await send(requestText);
  if (responseText === undefined) expect(response).toBeUndefined();
  else expect(response).toStrictEqual(specResponse(responseText));
}

describe('JSON-RPC 2.0 specification, section 7: examples', () => {
  beforeEach(() => {
    examples = exampleMethods();
  });

  it('rpc call with positional parameters', async () => {
    await expectExchange('{"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1}', '{"jsonrpc": "2.0", "result": 19, "id": 1}');
    await expectExchange('{"jsonrpc": "2.0", "method": "subtract", "params": [23, 42], "id": 2}', '{"jsonrpc": "2.0", "result": -19, "id": 2}');
  });

  it('rpc call with named parameters', async () => {
    await expectExchange(
      '{"jsonrpc": "2.0", "method": "subtract", "params": {"subtrahend": 23, "minuend": 42}, "id": 3}',
      '{"jsonrpc": "2.0", "result": 19, "id": 3}',
    );
    await expectExchange(
      '{"jsonrpc": "2.0", "method": "subtract", "params": {"minuend": 42, "subtrahend": 23}, "id": 4}',
      '{"jsonrpc": "2.0", "result": 19, "id": 4}',
    );
  });

  it('a Notification: no response, but the method runs', async () => {
    await expectExchange('{"jsonrpc": "2.0", "method": "update", "params": [1,2,3,4,5]}', undefined);
    // The specification shows no response for a notification of a method that does not exist either.
    await expectExchange('{"jsonrpc": "2.0", "method": "foobar"}', undefined);
    expect(examples.calls).toEqual([
      { method: 'update', params: [1, 2, 3, 4, 5] },
      { method: 'foobar', params: undefined },
    ]);
  });

  it('rpc call of non-existent method', async () => {
    await expectExchange(
      '{"jsonrpc": "2.0", "method": "foobar", "id": "1"}',
      '{"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "1"}',
    );
  });

  it('rpc call with invalid JSON', async () => {
    await expectExchange(
      '{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]',
      '{"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": null}',
    );
  });

  it('rpc call with invalid Request object', async () => {
    await expectExchange(
      '{"jsonrpc": "2.0", "method": 1, "params": "bar"}',
      '{"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}',
    );
    expect(examples.calls).toEqual([]);
  });

  it('rpc call Batch, invalid JSON: one Parse error, not an array', async () => {
    await expectExchange(
      `[
  {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
  {"jsonrpc": "2.0", "method"
]`,
      '{"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": null}',
    );
  });

  it('rpc call with an empty Array: one Invalid Request, not an array', async () => {
    await expectExchange('[]', '{"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}');
  });

  it('rpc call with an invalid Batch (but not empty): an array of one', async () => {
    await expectExchange(
      '[1]',
      `[
  {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}
]`,
    );
  });

  it('rpc call with invalid Batch: one Invalid Request per entry', async () => {
    await expectExchange(
      '[1,2,3]',
      `[
  {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null},
  {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null},
  {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}
]`,
    );
  });

  it('rpc call Batch', async () => {
    // The specification lets the responses come in any order; Baton answers in
    // request order, which is the order the specification prints, so this
    // compares the whole array.
    await expectExchange(
      `[
        {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
        {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
        {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"},
        {"foo": "boo"},
        {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
        {"jsonrpc": "2.0", "method": "get_data", "id": "9"}
    ]`,
      `[
        {"jsonrpc": "2.0", "result": 7, "id": "1"},
        {"jsonrpc": "2.0", "result": 19, "id": "2"},
        {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null},
        {"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "5"},
        {"jsonrpc": "2.0", "result": ["hello", 5], "id": "9"}
    ]`,
    );
    // The notification in the batch ran; the invalid entry reached no method.
    expect(examples.calls.map((call) => call.method).sort()).toEqual(['foo.get', 'get_data', 'notify_hello', 'subtract', 'sum']);
  });

  it('rpc call Batch (all notifications): nothing is returned', async () => {
    await expectExchange(
      `[
        {"jsonrpc": "2.0", "method": "notify_sum", "params": [1,2,4]},
        {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]}
    ]`,
      undefined,
    );
    expect(examples.calls).toEqual([
      { method: 'notify_sum', params: [1, 2, 4] },
      { method: 'notify_hello', params: [7] },
    ]);
  });
});
