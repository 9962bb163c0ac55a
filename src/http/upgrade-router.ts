// Hands each WebSocket upgrade to the endpoint of its path (/graphql, /mcp); an
// upgrade for any other path is refused with 404, one with a token in its URL
// with 400, before a socket exists.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { asUnavailable } from '../db/unavailable.js';
import type { Logger } from '../logger.js';
import { credentialParamsIn, credentialsInUrlError } from './credentials-in-url.js';

export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void | Promise<void>;

export function createUpgradeListener(handlers: Readonly<Record<string, UpgradeHandler>>, logger: Logger) {
  return (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = (request.url ?? '').split('?', 1)[0]!;
    // As on HTTP: no token in the URL (graphql-ws authenticates in connection_init, JSON-RPC with the Authorization header).
    const credentials = credentialParamsIn(request.url ?? '');
    if (credentials.length > 0) {
      const body = JSON.stringify(credentialsInUrlError(credentials));
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      return;
    }
    const handler = Object.hasOwn(handlers, path) ? handlers[path] : undefined;
    if (!handler) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    Promise.resolve(handler(request, socket, head)).catch((error: unknown) => {
      // A dependency the upgrade needs (the identity provider's key set) not answering: the client retries, as on HTTP.
      const unavailable = asUnavailable(error);
      if (unavailable && socket.writable) {
        logger.warn({ err: error, path, dependency: unavailable.dependency }, 'dependency unavailable');
        const retryAfter = unavailable.retryAfterSeconds;
        socket.end(`HTTP/1.1 503 Service Unavailable\r\nRetry-After: ${retryAfter}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
        return;
      }
      logger.error({ err: error, path }, 'WebSocket upgrade failed');
      socket.destroy();
    });
  };
}
