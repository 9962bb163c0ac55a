// The bounds of a JSON-RPC socket on /mcp: the largest message
// (WS_MAX_PAYLOAD_BYTES; bigger closes the socket unread) and the token's life
// (once it expires the socket is closed with 4401; the client reconnects with a
// fresh token).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let baton: TestApp;
beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0', WS_MAX_PAYLOAD_BYTES: String(64 * 1024) } });
});
afterAll(() => baton?.stop());

function open(token: string): Promise<WebSocket> {
  const socket = new WebSocket(`${baton.url.replace(/^http/, 'ws')}/mcp`, { headers: { authorization: `Bearer ${token}` } });
  return new Promise((resolve, reject) => socket.once('open', () => resolve(socket)).once('error', reject));
}

function call(socket: WebSocket, method: string, params: unknown, id: number): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    socket.once('message', (data) => resolve(JSON.parse(String(data))));
    socket.send(JSON.stringify({ jsonrpc: '2.0', method, params, id }));
  });
}

const closeCodeOf = (socket: WebSocket) => new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
const retrieve = { conversation_id: 'conv-limits' };

describe('JSON-RPC over WebSocket limits', () => {
  it('closes a socket whose message is over WS_MAX_PAYLOAD_BYTES', async () => {
    const socket = await open(await baton.token('admin'));
    const closed = closeCodeOf(socket);
    const answers: unknown[] = [];
    socket.on('message', (data) => answers.push(String(data)));
    socket.send(JSON.stringify({ jsonrpc: '2.0', method: 'memory/retrieve/short-term', params: { ...retrieve, padding: 'x'.repeat(128 * 1024) }, id: 1 }));
    // 1009 Message Too Big; 1006 when the reset reaches the client before the close frame.
    expect([1009, 1006]).toContain(await closed);
    expect(answers).toEqual([]);
  });

  it('serves a message just under WS_MAX_PAYLOAD_BYTES', async () => {
    const socket = await open(await baton.token('admin'));
    try {
      const answer = await call(socket, 'memory/retrieve/short-term', { ...retrieve, padding: 'x'.repeat(60 * 1024) }, 2);
      expect(answer).toMatchObject({ jsonrpc: '2.0', id: 2 }); // read and answered (an unknown parameter is refused)
    } finally {
      socket.close();
    }
  });

  it('closes the socket with 4401 when its token expires; a fresh token reconnects', async () => {
    const shortLived = await baton.app.tokens.sign({ subject: 'short-lived', roles: ['admin'] }, 2);
    const socket = await open(shortLived);
    const closed = closeCodeOf(socket);
    expect(await call(socket, 'memory/retrieve/short-term', retrieve, 3)).toEqual({ jsonrpc: '2.0', id: 3, result: null }); // no such conversation yet
    expect(await closed).toBe(4401);

    await expect(open(shortLived)).rejects.toThrow(/401/);
    const fresh = await open(await baton.token('admin'));
    expect(await call(fresh, 'memory/retrieve/short-term', retrieve, 4)).toEqual({ jsonrpc: '2.0', id: 4, result: null });
    fresh.close();
  }, 20_000);

  it('checks the token again at each message: one that expired since the upgrade gets -32001, then 4401', async () => {
    const socket = await open(await baton.token('admin')); // valid for 12 hours
    const closed = closeCodeOf(socket);
    expect(await call(socket, 'memory/retrieve/short-term', retrieve, 5)).toEqual({ jsonrpc: '2.0', id: 5, result: null });
    // The clock (this process's, the server's too) jumps past the token's exp; the expiry timer has not fired.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 13 * 3600 * 1000 });
    try {
      expect(await call(socket, 'memory/store/short-term', { conversation_id: 'conv-expired', memory_data: { active_intent: 'demo' } }, 6)).toMatchObject({
        id: 6,
        error: { code: -32001, message: 'The bearer token has expired' },
      });
      expect(await closed).toBe(4401);
    } finally {
      vi.useRealTimers();
    }
    // Nothing was written with the expired token.
    const fresh = await open(await baton.token('admin'));
    expect(await call(fresh, 'memory/retrieve/short-term', { conversation_id: 'conv-expired' }, 7)).toEqual({ jsonrpc: '2.0', id: 7, result: null });
    fresh.close();
  });
});
