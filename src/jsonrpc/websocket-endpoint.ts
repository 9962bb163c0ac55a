// JSON-RPC 2.0 over WebSocket on /mcp (the specification's ADR-002: WebSocket for
// real time): the same methods, framing and errors as POST /mcp, on a connection
// that authenticates once, at the upgrade (Authorization: Bearer, as on HTTP; a
// request without a valid token gets 401 and no socket). Each text message is a
// request, a notification or a batch; answers are sent as they complete, so a
// slow method does not hold up a quick one.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { TokenService } from '../auth/jwt.js';
import { MAX_BODY_BYTES } from '../http/json-body.js';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '../logger.js';
import type { Caller, GraphQLExecutor } from '../adapter/graphql-executor.js';
import { authenticateRequest } from '../adapter/request-authentication.js';
import { createDispatch } from './methods.js';
import { answer, parseError } from './protocol.js';

export interface WebSocketEndpoint {
  /** Takes over an HTTP upgrade request for this endpoint. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
  /** Closes every connection (1001 Going Away) and stops accepting new ones. */
  close(): Promise<void>;
}

/** Close code when the server shuts down: clients reconnect to another replica. */
const GOING_AWAY = 1001;

export function createJsonRpcWebSocketEndpoint(
  { executor, tokens, logger }: { executor: GraphQLExecutor; tokens: TokenService; logger: Logger },
  { websocketConnections }: Pick<Metrics, 'websocketConnections'>,
): WebSocketEndpoint {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY_BYTES });

  function serve(socket: WebSocket, caller: Caller): void {
    websocketConnections.inc({ endpoint: '/mcp' });
    socket.once('close', () => websocketConnections.dec({ endpoint: '/mcp' }));
    socket.on('error', (error) => logger.debug({ err: error }, 'JSON-RPC WebSocket error'));
    const dispatch = createDispatch(executor, caller);
    socket.on('message', (data: RawData) => {
      void reply(socket, messageText(data), dispatch).catch((error: unknown) => logger.error({ err: error }, 'JSON-RPC over WebSocket failed'));
    });
  }

  async function reply(socket: WebSocket, text: string, dispatch: ReturnType<typeof createDispatch>): Promise<void> {
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch (error) {
      send(socket, parseError((error as Error).message));
      return;
    }
    const response = await answer(payload, dispatch, (error) => logger.error({ err: error }, 'JSON-RPC method failed'));
    if (response !== undefined) send(socket, response);
  }

  return {
    async upgrade(request, socket, head) {
      const authentication = await authenticateRequest(tokens, request);
      if (!authentication.ok) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return;
      }
      sockets.handleUpgrade(request, socket, head, (ws) => serve(ws, authentication.caller));
    },
    async close() {
      for (const client of sockets.clients) client.close(GOING_AWAY, 'server shutting down');
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
    },
  };
}

function messageText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

function send(socket: WebSocket, message: unknown): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}
