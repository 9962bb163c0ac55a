// Connections that have not started a request: a client that connected and said
// nothing yet (a browser's preconnect, a silent or slow client). Node's
// closeIdleConnections() closes keep-alive connections between requests, but not
// these: each would hold a stopping server until the grace ran out. Shutdown
// closes them at once (src/http/shutdown.ts): no request of theirs had started.
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';

const unusedByServer = new WeakMap<Server, Set<Socket>>();

/** From now on, knows which of the server's connections have not started a request (or an upgrade). */
export function trackUnusedConnections(server: Server): void {
  if (unusedByServer.has(server)) return;
  const unused = new Set<Socket>();
  unusedByServer.set(server, unused);
  server.on('connection', (socket: Socket) => {
    unused.add(socket);
    socket.once('close', () => unused.delete(socket));
  });
  // Its first request (or upgrade): from then on the connection is Node's to finish or close
  // as idle. (A 'data' listener would tell sooner, but takes the socket off Node's native parser.)
  const used = (request: IncomingMessage) => unused.delete(request.socket as Socket);
  server.on('request', used).on('upgrade', used);
}

/** Destroys the server's connections that have not started a request (a request still arriving has not). */
export function closeUnusedConnections(server: Server): void {
  for (const socket of unusedByServer.get(server) ?? []) socket.destroy();
}
