// Stopping an HTTP server without losing a request: stop accepting connections,
// close the idle ones (and those that never started a request), let the busy
// ones finish their responses (forcing them closed after the grace period), then wait for handlers still running for
// clients that already hung up, so the stores they write to are closed last.
import type { Server } from 'node:http';
import type { DrainableListener } from './router.js';
import { closeUnusedConnections } from './unused-connections.js';

/** How long in-flight requests get to finish on stop (deploy/ gives pods more before SIGKILL). */
export const SHUTDOWN_GRACE_MS = 10_000;

export async function closeGracefully(server: Server, listener: DrainableListener, graceMs = SHUTDOWN_GRACE_MS): Promise<void> {
  const deadline = Date.now() + graceMs;
  await new Promise<void>((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs).unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
    closeUnusedConnections(server);
  });
  await listener.drain(deadline);
}
