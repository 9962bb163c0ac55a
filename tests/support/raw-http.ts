// HTTP/1.1 at the level of bytes on one keep-alive connection (node:net), for
// tests about the connection itself: what a fetch client hides (a second
// request on the same socket, a body the server does not read, a close).
import { connect, type Socket } from 'node:net';

export interface RawConnection {
  socket: Socket;
  /** Everything the server sent so far. */
  readonly received: string;
  /** Resolves when the server closed the connection (end or reset). */
  readonly closed: Promise<void>;
  /** Resolves once the received bytes satisfy `done`, or rejects if the connection closes first. */
  until(done: (received: string) => boolean): Promise<string>;
  write(data: string | Buffer): void;
}

export async function openRawConnection(baseUrl: string): Promise<RawConnection> {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect({ host: hostname, port: Number(port) });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let received = '';
  const waiters = new Set<() => void>();
  socket.on('data', (chunk) => {
    received += chunk.toString('latin1');
    for (const waiter of waiters) waiter();
  });
  socket.on('error', () => {}); // a reset counts as a close: `closed` resolves
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  let isClosed = false;
  void closed.then(() => {
    isClosed = true;
    for (const waiter of waiters) waiter();
  });
  return {
    socket,
    get received() {
      return received;
    },
    closed,
    until(done) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (done(received)) {
            waiters.delete(check);
            resolve(received);
          } else if (isClosed) {
            waiters.delete(check);
            reject(new Error(`the connection closed; received: ${received.slice(0, 300)}`));
          }
        };
        waiters.add(check);
        check();
      });
    },
    write(data) {
      if (!socket.destroyed) socket.write(data);
    },
  };
}

/** Status codes of the complete-looking responses in `received`, in order. */
export function responseStatuses(received: string): number[] {
  return [...received.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((match) => Number(match[1]));
}
