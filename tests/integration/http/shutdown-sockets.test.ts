// Stopping Baton closes every connection within the grace, however its client
// behaves: a WebSocket client that never answers the close frame (on /graphql
// before any connection_init, on /mcp), an idle keep-alive HTTP connection, and
// one that never sent a byte. None of them holds the shutdown (ws alone waits
// 30 s for a silent peer's close frame).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRawConnection, responseStatuses, type RawConnection } from '../../support/raw-http.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let baton: TestApp | undefined;
beforeAll(async () => {
  // No connection_init timeout to close the /graphql socket first: the shutdown must.
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0', WS_CONNECTION_INIT_TIMEOUT_MS: '600000' } });
});
afterAll(() => baton?.stop());

/** Upgrades a raw connection to a WebSocket and then says nothing, ever: no frame, no answer to the close frame. */
async function silentWebSocket(path: string, headers: Record<string, string> = {}): Promise<RawConnection> {
  const connection = await openRawConnection(baton!.url);
  connection.write(
    [
      `GET ${path} HTTP/1.1`,
      'Host: 127.0.0.1',
      'Upgrade: websocket',
      'Connection: Upgrade',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      'Sec-WebSocket-Version: 13',
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      '',
      '',
    ].join('\r\n'),
  );
  await connection.until((received) => received.startsWith('HTTP/1.1 101 '));
  return connection;
}

describe('stop', () => {
  it('closes silent WebSockets and idle HTTP connections, and returns', async () => {
    const graphql = await silentWebSocket('/graphql', { 'Sec-WebSocket-Protocol': 'graphql-transport-ws' });
    const jsonRpc = await silentWebSocket('/mcp', { Authorization: `Bearer ${await baton!.token('viewer')}` });
    const keepAlive = await openRawConnection(baton!.url);
    keepAlive.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await keepAlive.until((received) => responseStatuses(received).length === 1);
    const mute = await openRawConnection(baton!.url);

    const stopping = baton!;
    baton = undefined;
    await stopping.stop();
    await Promise.all([graphql.closed, jsonRpc.closed, keepAlive.closed, mute.closed]);
    expect(responseStatuses(keepAlive.received)).toEqual([200]);
  }, 25_000);
});
