// Every WebSocket door's server, with bounds: a largest message (WS_MAX_PAYLOAD_BYTES;
// a bigger one closes its socket with 1009 before it is buffered), and a bounded
// close. A client that never answers the close frame (a silent or stalled peer)
// would otherwise hold its socket, and the server's shutdown, for ws's default
// 30 s close timeout.
import { WebSocketServer, type ServerOptions } from 'ws';

/**
 * How long a closing socket waits for the client's close frame before it is
 * destroyed: for every close (a refused or expired socket, shutdown), and so the
 * bound on closing a door at shutdown. Well under the shutdown grace.
 */
export const CLOSE_HANDSHAKE_MS = 2_000;

/** A WebSocketServer for upgrades the HTTP server hands over (noServer). */
export function createBoundedWebSocketServer(maxPayloadBytes: number): WebSocketServer {
  // ws reads `closeTimeout` since 8.18; @types/ws does not declare it yet.
  const options: ServerOptions & { closeTimeout: number } = { noServer: true, maxPayload: maxPayloadBytes, closeTimeout: CLOSE_HANDSHAKE_MS };
  return new WebSocketServer(options);
}

/** Closes every client with 1001 Going Away; those still open after CLOSE_HANDSHAKE_MS are destroyed. Resolves when none is left. */
export async function closeAllSockets(sockets: WebSocketServer): Promise<void> {
  const clients = [...sockets.clients];
  const closed = clients.map(
    (client) => new Promise<void>((resolve) => (client.readyState === client.CLOSED ? resolve() : client.once('close', () => resolve()))),
  );
  for (const client of clients) client.close(1001, 'server shutting down');
  const force = setTimeout(() => {
    for (const client of clients) client.terminate();
  }, CLOSE_HANDSHAKE_MS).unref();
  await Promise.all(closed);
  clearTimeout(force);
  await new Promise<void>((resolve) => sockets.close(() => resolve()));
}
