// JSON-RPC 2.0 over WebSocket on /mcp: authenticated at the upgrade, then the
// same twelve methods, framing and error codes as POST /mcp.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RpcResponse } from '../../support/jsonrpc-results.js';
import { callEveryMethod } from '../../support/jsonrpc-scenario.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

let baton: TestApp;
let rpc: RpcSocket;

/** A JSON-RPC client over one WebSocket: messages in order of arrival. */
class RpcSocket {
  private readonly inbox: unknown[] = [];
  private readonly waiters: ((message: unknown) => void)[] = [];
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data));
      const waiter = this.waiters.shift();
      if (waiter) waiter(message);
      else this.inbox.push(message);
    });
  }

  static open(url: string, token: string | null): Promise<RpcSocket> {
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/mcp`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new RpcSocket(socket)));
      socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
      socket.once('error', reject);
    });
  }

  send(payload: unknown): void {
    this.socket.send(typeof payload === 'string' ? payload : JSON.stringify(payload));
  }

  /** The next message: one response, or an array of them for a batch (`Reply` says which the caller expects). */
  next<Reply = RpcResponse>(): Promise<Reply> {
    const queued = this.inbox.shift();
    if (queued !== undefined) return Promise.resolve(queued as Reply);
    return new Promise((resolve) => this.waiters.push((message) => resolve(message as Reply)));
  }

  async call<Reply = RpcResponse>(payload: unknown): Promise<Reply> {
    this.send(payload);
    return this.next<Reply>();
  }

  close(): void {
    this.socket.close();
  }
}

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
  rpc = await RpcSocket.open(baton.url, await baton.token('admin'));
});
afterAll(async () => {
  rpc?.close();
  await baton?.stop();
});

const request = (method: string, params: unknown, id: number | string = 1) => ({ jsonrpc: '2.0', method, params, id });

describe('JSON-RPC over WebSocket on /mcp', () => {
  it('refuses the upgrade without a valid bearer token', async () => {
    await expect(RpcSocket.open(baton.url, null)).rejects.toThrow('HTTP 401');
    await expect(RpcSocket.open(baton.url, 'not-a-jwt')).rejects.toThrow('HTTP 401');
  });

  it('serves all twelve methods', async () => {
    let id = 0;
    const results = await callEveryMethod(async (method, params) => {
      const response = await rpc.call(request(method, params, ++id));
      expect(response, method).toMatchObject({ jsonrpc: '2.0', id });
      expect(response.error, `${method}: ${JSON.stringify(response.error)}`).toBeUndefined();
      return response.result;
    });
    expect(results.size).toBe(12);
    expect(results.get('agent/triage/lead')).toMatchObject({ triage_category: expect.any(String), lead_score: expect.any(Number) });
  }, 60_000);

  it('answers each error case with its code', async () => {
    expect(await rpc.call('{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]')).toMatchObject({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32700, message: 'Parse error' },
    });
    expect(await rpc.call({ jsonrpc: '2.0', method: 1, params: 'bar' })).toMatchObject({ id: null, error: { code: -32600 } });
    expect(await rpc.call(request('agent/does/not-exist', {}, 'x'))).toMatchObject({ id: 'x', error: { code: -32601 } });
    expect(await rpc.call(request('agent/triage/lead', { lead_data: { lead_id: 'x', industry: 'Tech', company_size: 'SMB' } }, 7))).toMatchObject({
      id: 7,
      error: { code: -32602, data: { issues: [{ path: 'lead_data.industry' }] } },
    });
    expect(await rpc.call(request('memory/retrieve/long-term', { lead_id: uniqueLeadId('nobody') }, 8))).toMatchObject({ id: 8, error: { code: -32004 } });
    expect(await rpc.call([])).toMatchObject({ id: null, error: { code: -32600 } });
  });

  it('refuses a method the role may not call', async () => {
    const viewer = await RpcSocket.open(baton.url, await baton.token('viewer'));
    try {
      const response = await viewer.call(
        request('agent/triage/lead', { lead_data: { lead_id: uniqueLeadId('ws'), industry: 'Finance', company_size: 'SMB' } }),
      );
      expect(response).toMatchObject({ id: 1, error: { code: -32003 } });
    } finally {
      viewer.close();
    }
  });

  it('answers batches as arrays and notifications not at all', async () => {
    const conversationId = `conv-${uniqueLeadId('ws')}`;
    const batch = await rpc.call<RpcResponse[]>([
      request('memory/store/short-term', { conversation_id: conversationId, memory_data: { active_intent: 'demo' } }, 'a'),
      { jsonrpc: '2.0', method: 'memory/store/short-term', params: { conversation_id: `${conversationId}-n`, memory_data: {} } },
      { foo: 'boo' },
      request('no/such/method', {}, 'b'),
    ]);
    expect(batch).toHaveLength(3);
    const byId = new Map(batch.map((response) => [response.id, response]));
    expect(byId.get('a')).toMatchObject({ result: { conversation_id: conversationId, active_intent: 'demo' } });
    expect(byId.get('b')).toMatchObject({ error: { code: -32601 } });
    expect(byId.get(null)).toMatchObject({ error: { code: -32600 } });

    // Notifications only: nothing comes back, so the next message is the next call's answer.
    rpc.send([{ jsonrpc: '2.0', method: 'memory/retrieve/short-term', params: { conversation_id: conversationId } }]);
    rpc.send({ jsonrpc: '2.0', method: 'memory/retrieve/short-term', params: { conversation_id: conversationId } });
    expect(await rpc.call(request('memory/retrieve/short-term', { conversation_id: conversationId }, 'after'))).toMatchObject({ id: 'after' });
  });

  it('counts its connections on /metrics', async () => {
    const metrics = await (await fetch(`${baton.url}/metrics`)).text();
    expect(metrics).toMatch(/baton_websocket_connections_active\{[^}]*endpoint="\/mcp"[^}]*\} [1-9]/);
  });
});
