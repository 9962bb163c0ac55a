// Hands each WebSocket upgrade to the endpoint of its path (/graphql, /mcp); an
// upgrade for any other path is refused with 404 before a socket exists.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../logger.js';

export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void | Promise<void>;

export function createUpgradeListener(handlers: Readonly<Record<string, UpgradeHandler>>, logger: Logger) {
  return (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = (request.url ?? '').split('?', 1)[0]!;
    const handler = Object.hasOwn(handlers, path) ? handlers[path] : undefined;
    if (!handler) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    Promise.resolve(handler(request, socket, head)).catch((error: unknown) => {
      logger.error({ err: error, path }, 'WebSocket upgrade failed');
      socket.destroy();
    });
  };
}
