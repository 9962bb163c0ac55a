// Starts an HTTP server on a port (0 picks a free one) and says where it is.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trackUnusedConnections } from './unused-connections.js';

/** Resolves with the base URL; a wildcard host is reported as localhost, which a browser can open. */
export function listen(server: Server, port: number, host: string): Promise<string> {
  // So that shutdown can close the connections that never sent a request.
  trackUnusedConnections(server);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: bound } = server.address() as AddressInfo;
      const reachable = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
      resolve(`http://${reachable}:${bound}`);
    });
  });
}

/** Whether `host` only answers this machine (127.0.0.0/8, ::1, localhost): what a generated admin token may be printed for. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}
