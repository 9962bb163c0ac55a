// graphql-ws's protocol server (`makeServer`) on ws sockets: what graphql-ws's own
// `useServer` does (subprotocol, keep-alive pings, messages in, close), with
// Baton's logger instead of console.error. A socket's error is the client's
// doing (a message over WS_MAX_PAYLOAD_BYTES, which ws answers with 1009; a
// broken frame): logged at debug, and ws closes that socket itself, where
// `useServer` printed it to stderr for anyone to trigger.
import type { IncomingMessage } from 'node:http';
import { CloseCode, handleProtocols, type Server } from 'graphql-ws';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../logger.js';

/** What graphql-ws's hooks find in `ctx.extra`, as with `useServer`. */
export interface SocketExtra {
  socket: WebSocket;
  request: IncomingMessage;
}

/** A peer that answers no ping within this long is gone (graphql-ws's `useServer` default). */
const KEEP_ALIVE_MS = 12_000;

export function serveGraphQLWsSockets<E extends SocketExtra>(wss: WebSocketServer, server: Server<E>, logger: Logger): void {
  wss.options.handleProtocols = handleProtocols;
  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    socket.on('error', (error) => logger.debug({ err: error }, 'graphql-ws socket error'));
    let pongWait: NodeJS.Timeout | undefined;
    const pings = setInterval(() => {
      if (socket.readyState !== socket.OPEN) return;
      pongWait = setTimeout(() => socket.terminate(), KEEP_ALIVE_MS);
      socket.once('pong', () => clearTimeout(pongWait));
      socket.ping();
    }, KEEP_ALIVE_MS);
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (error) => (error ? reject(error) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', async (data) => {
            try {
              await handle(String(data));
            } catch (error) {
              // A bug, or a send to a peer that vanished: this socket ends, the others go on.
              logger.error({ err: error }, 'graphql-ws message failed');
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            }
          }),
      },
      { socket, request } as E,
    );
    socket.once('close', (code, reason) => {
      clearTimeout(pongWait);
      clearInterval(pings);
      closed(code, String(reason)).catch((error: unknown) => logger.error({ err: error }, 'graphql-ws close failed'));
    });
  });
}
