// On stop, handlers still running for clients that already hung up finish
// before the stores they write to close (src/http/shutdown.ts).
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/http/metrics.js';
import { createRequestListener } from '../../../src/http/router.js';
import { closeGracefully } from '../../../src/http/shutdown.js';
import { createLogger } from '../../../src/logger.js';

function gatedServer() {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  const finished: string[] = [];
  const listener = createRequestListener(
    [
      {
        method: 'POST',
        path: '/slow',
        handle: async (_request, response) => {
          started();
          await gate;
          finished.push('slow');
          if (!response.destroyed) response.end('done');
        },
      },
    ],
    createMetrics('drain-test'),
    createLogger('silent', 'drain-test'),
  );
  const server = createServer(listener);
  return { server, listener, open, running, finished };
}

describe('closeGracefully', () => {
  it('waits for a handler whose client hung up, then returns', async () => {
    const { server, listener, open, running, finished } = gatedServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const abort = new AbortController();
    const request = fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slow`, { method: 'POST', body: '{}', signal: abort.signal });
    await running;
    abort.abort();
    await expect(request).rejects.toThrow();

    let closed = false;
    const closing = closeGracefully(server, listener, 5_000).then(() => (closed = true));
    // The server is closed and its connections are gone: only the running handler holds
    // closeGracefully now. Once the callbacks already due have run, it must still be waiting.
    await once(server, 'close');
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false); // the handler is still running
    open();
    await closing;
    expect(finished).toEqual(['slow']);
  });

  it('gives up on a handler at the deadline', async () => {
    const { server, listener, running } = gatedServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const abort = new AbortController();
    const request = fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slow`, { method: 'POST', body: '{}', signal: abort.signal });
    await running;
    abort.abort();
    await expect(request).rejects.toThrow();
    const started = Date.now();
    await closeGracefully(server, listener, 300);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });
});
