// The bounds of a graphql-ws socket on /graphql: operations at once
// (WS_MAX_SUBSCRIPTIONS; one more is answered with an error, the socket stays
// open), the largest message (WS_MAX_PAYLOAD_BYTES; bigger closes the socket
// unread), the wait for `connection_init` (WS_CONNECTION_INIT_TIMEOUT_MS; 4408),
// and the token's life (a socket whose token expires is closed with 4401, its
// subscriptions ended; the client reconnects with a fresh token).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { openGraphQLSocket } from '../../support/graphql-socket.js';
import { activeSubscriptions, untilActiveSubscriptions } from '../../support/live-subscriptions.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

const MAX_SUBSCRIPTIONS = 3;

let baton: TestApp;
beforeAll(async () => {
  baton = await startTestApp({
    env: { CONSOLIDATION_INTERVAL_S: '0', WS_MAX_SUBSCRIPTIONS: String(MAX_SUBSCRIPTIONS), WS_CONNECTION_INIT_TIMEOUT_MS: '500' },
  });
});
afterAll(() => baton?.stop());

const LIVE = { query: 'subscription { leadProcessed { leadId } }' };

/** A socket on /graphql that speaks graphql-ws's subprotocol and sends nothing by itself. */
function rawGraphQLSocket(): Promise<WebSocket> {
  const socket = new WebSocket(`${baton.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
  return new Promise((resolve, reject) => socket.once('open', () => resolve(socket)).once('error', reject));
}

const closeCodeOf = (socket: WebSocket) => new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));

describe('graphql-ws limits', () => {
  it('answers the operation over WS_MAX_SUBSCRIPTIONS with an error; the socket and the others go on', async () => {
    const socket = await openGraphQLSocket(baton.url, await baton.token('viewer'));
    try {
      for (let index = 0; index < MAX_SUBSCRIPTIONS; index++) socket.subscribe(`live-${index}`, LIVE);
      await untilActiveSubscriptions(baton, 'graphql_ws', MAX_SUBSCRIPTIONS);

      socket.subscribe('one-more', LIVE);
      expect(await socket.message((m) => m.id === 'one-more')).toMatchObject({
        type: 'error',
        payload: [{ message: expect.stringContaining(`At most ${MAX_SUBSCRIPTIONS} operations`), extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } }],
      });
      expect(socket.closeCode).toBeUndefined();
      expect(await activeSubscriptions(baton, 'graphql_ws')).toBe(MAX_SUBSCRIPTIONS);

      // Completing one makes room for another.
      socket.complete('live-0');
      await untilActiveSubscriptions(baton, 'graphql_ws', MAX_SUBSCRIPTIONS - 1);
      socket.subscribe('in-its-place', LIVE);
      await untilActiveSubscriptions(baton, 'graphql_ws', MAX_SUBSCRIPTIONS);
      expect(socket.received.filter((m) => m.id === 'in-its-place')).toEqual([]);
    } finally {
      await socket.close();
    }
    await untilActiveSubscriptions(baton, 'graphql_ws', 0);
  });

  it('closes a socket whose message is over WS_MAX_PAYLOAD_BYTES (1 MiB by default), before any token', async () => {
    const socket = await rawGraphQLSocket();
    const closed = closeCodeOf(socket);
    const acked: unknown[] = [];
    socket.on('message', (data) => acked.push(String(data)));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { padding: 'x'.repeat(2 * 1024 * 1024) } }));
    // 1009 Message Too Big; 1006 when the reset reaches the client before the close frame.
    expect([1009, 1006]).toContain(await closed);
    expect(acked).toEqual([]);
  });

  it('closes a socket that sends no connection_init within WS_CONNECTION_INIT_TIMEOUT_MS (4408)', async () => {
    const socket = await rawGraphQLSocket();
    expect(await closeCodeOf(socket)).toBe(4408);
  });

  it('closes a socket with 4401 when its token expires, ending its subscriptions', async () => {
    const shortLived = await baton.app.tokens.sign({ subject: 'short-lived', roles: ['admin'] }, 2);
    const socket = await openGraphQLSocket(baton.url, shortLived);
    socket.subscribe('live', LIVE);
    await untilActiveSubscriptions(baton, 'graphql_ws', 1);
    expect(await socket.closed).toBe(4401);
    await untilActiveSubscriptions(baton, 'graphql_ws', 0);

    // Reconnecting with the same token is refused; a fresh one is welcome.
    await expect(openGraphQLSocket(baton.url, shortLived)).rejects.toThrow();
    const fresh = await openGraphQLSocket(baton.url, await baton.token('admin'));
    fresh.subscribe('live', LIVE);
    await untilActiveSubscriptions(baton, 'graphql_ws', 1);
    await fresh.close();
  }, 20_000);

  it('checks the token again at each operation: one that expired since connection_init gets an error, then 4401', async () => {
    const socket = await openGraphQLSocket(baton.url, await baton.token('admin')); // valid for 12 hours
    socket.subscribe('before', LIVE);
    await untilActiveSubscriptions(baton, 'graphql_ws', 1);
    // The clock (this process's, the server's too) jumps past the token's exp; the expiry timer has not fired.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 13 * 3600 * 1000 });
    try {
      socket.subscribe('after', LIVE);
      expect(await socket.closed).toBe(4401);
    } finally {
      vi.useRealTimers();
    }
    expect(socket.received.filter((m) => m.id === 'after')).toEqual([
      { id: 'after', type: 'error', payload: [{ message: 'The bearer token has expired', extensions: { code: 'UNAUTHENTICATED' } }] },
    ]);
    await untilActiveSubscriptions(baton, 'graphql_ws', 0);
  });
});
