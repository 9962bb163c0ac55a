// JSON-RPC 2.0 over WebSocket on /mcp (the specification's ADR-002: WebSocket for
// real time): the same methods, framing and errors as POST /mcp, on a connection
// that authenticates once, at the upgrade (Authorization: Bearer, as on HTTP; a
// request without a valid token gets 401 and no socket). Each text message is a
// request, a notification or a batch; answers are sent as they complete, so a
// slow method does not hold up a quick one.
//
// The token lives as long as its `exp`, not as long as the socket: each message
// checks it again, and once it has expired the message is answered with -32001
// (UNAUTHENTICATED) and the socket closed with 4401, as it is at `exp` when idle.
// The client reconnects with a fresh token. A message over WS_MAX_PAYLOAD_BYTES
// closes the socket (1009).
import { upgradeRequestId } from '../audit/doors.js';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import type { TokenService } from '../auth/jwt.js';
import { whenExpired } from '../auth/token-expiry.js';
import { AuthenticationError } from '../errors.js';
import { MAX_BODY_BYTES } from '../http/json-body.js';
import type { Metrics } from '../http/metrics.js';
import { bearerChallenge, type ProtectedResourceSettings } from '../http/protected-resource.js';
import { closeAllSockets, createBoundedWebSocketServer } from '../http/bounded-websockets.js';
import type { Logger } from '../logger.js';
import type { Caller, GraphQLExecutor } from '../adapter/graphql-executor.js';
import { createDispatch } from './methods.js';
import { answer, failure, JsonRpcErrorCode, parseError, type JsonRpcId } from './protocol.js';

export interface WebSocketEndpoint {
  /** Takes over an HTTP upgrade request for this endpoint. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
  /** Closes every connection (1001 Going Away) and stops accepting new ones. */
  close(): Promise<void>;
}

/** Close code when the token expired (graphql-ws's Unauthorized): reconnect with a fresh one. */
const TOKEN_EXPIRED = 4401;
const TOKEN_EXPIRED_REASON = 'Token expired: reconnect with a fresh one';

export function createJsonRpcWebSocketEndpoint(
  {
    executor,
    tokens,
    logger,
    protectedResource,
  }: {
    executor: GraphQLExecutor;
    tokens: TokenService;
    logger: Logger;
    /** Where the upgrade's 401 points (RFC 9728 §5.1), as POST /mcp's does. */
    protectedResource: ProtectedResourceSettings;
  },
  { websocketConnections }: Pick<Metrics, 'websocketConnections'>,
  { maxPayloadBytes = MAX_BODY_BYTES }: { maxPayloadBytes?: number } = {},
): WebSocketEndpoint {
  const sockets = createBoundedWebSocketServer(maxPayloadBytes);

  function serve(socket: WebSocket, caller: Caller, expiresAtMs: number): void {
    websocketConnections.inc({ endpoint: '/mcp' });
    socket.once('close', () => websocketConnections.dec({ endpoint: '/mcp' }));
    socket.on('error', (error) => logger.debug({ err: error }, 'JSON-RPC WebSocket error'));
    socket.once(
      'close',
      whenExpired(expiresAtMs, () => socket.close(TOKEN_EXPIRED, TOKEN_EXPIRED_REASON)),
    );
    socket.on('message', (data: RawData) => {
      void reply(socket, messageText(data), caller).catch((error: unknown) => logger.error({ err: error }, 'JSON-RPC over WebSocket failed'));
    });
  }

  async function reply(socket: WebSocket, text: string, caller: Caller): Promise<void> {
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch (error) {
      send(socket, parseError((error as Error).message));
      return;
    }
    // The token as of this message, with the roles it carries now.
    let principal: Caller['principal'];
    try {
      principal = await tokens.authenticate(caller.authorization);
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      const ids = requestIds(payload);
      const refusals = ids.map((id) => failure(id, JsonRpcErrorCode.UNAUTHENTICATED, error.message));
      if (refusals.length > 0) send(socket, Array.isArray(payload) ? refusals : refusals[0]);
      socket.close(TOKEN_EXPIRED, TOKEN_EXPIRED_REASON);
      return;
    }
    const dispatch = createDispatch(executor, { ...caller, principal });
    const response = await answer(payload, dispatch, (error) => logger.error({ err: error }, 'JSON-RPC method failed'));
    if (response !== undefined) send(socket, response);
  }

  return {
    async upgrade(request, socket, head) {
      let session: Awaited<ReturnType<TokenService['authenticateSession']>>;
      try {
        session = await tokens.authenticateSession(request.headers.authorization);
      } catch (error) {
        if (!(error instanceof AuthenticationError)) throw error;
        const challenge = bearerChallenge(request, '/mcp', protectedResource);
        socket.end(`HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: ${challenge}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
        return;
      }
      const caller: Caller = {
        authorization: request.headers.authorization,
        principal: session.principal,
        origin: { door: 'jsonrpc', requestId: upgradeRequestId(request.headers['x-request-id']) },
      };
      sockets.handleUpgrade(request, socket, head, (ws) => serve(ws, caller, session.expiresAtMs));
    },
    close: () => closeAllSockets(sockets),
  };
}

/** The ids a message's requests are owed an answer under: none for a notification, null for what is no request at all. */
function requestIds(payload: unknown): JsonRpcId[] {
  const entries = Array.isArray(payload) ? payload : [payload];
  return entries.flatMap((entry): JsonRpcId[] => {
    if (typeof entry !== 'object' || entry === null) return [null];
    if (!('id' in entry)) return 'method' in entry ? [] : [null];
    const { id } = entry as { id: unknown };
    return [typeof id === 'string' || typeof id === 'number' ? id : null];
  });
}

function messageText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

function send(socket: WebSocket, message: unknown): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}
