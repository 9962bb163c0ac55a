// A WebSocket for fuzzing: every message kept, waits that give up after the
// per-request deadline, and the close code once the server closed it.
import WebSocket from 'ws';
import { REQUEST_TIMEOUT_MS } from './fuzz-runner.js';

export class MessageSocket {
  readonly received: unknown[] = [];
  closeCode: number | undefined;
  private waiters = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      let message: unknown;
      try {
        message = JSON.parse(String(data));
      } catch {
        message = String(data);
      }
      this.received.push(message);
      for (const wake of this.waiters) wake();
    });
    socket.on('close', (code) => {
      this.closeCode = code;
      for (const wake of this.waiters) wake();
    });
    socket.on('error', () => {});
  }

  static open(url: string, options: { protocol?: string; headers?: Record<string, string> } = {}): Promise<MessageSocket> {
    const socket = new WebSocket(url, options.protocol, { headers: options.headers ?? {} });
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new MessageSocket(socket)));
      socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode} on upgrade`)));
      socket.once('error', reject);
    });
  }

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first message from `from` on that `matches`; undefined if the socket closed first. Rejects after the deadline. */
  async next(matches: (message: unknown) => boolean, from = 0): Promise<unknown> {
    const deadline = Date.now() + REQUEST_TIMEOUT_MS;
    for (;;) {
      const found = this.received.slice(from).find(matches);
      if (found !== undefined) return found;
      if (this.closeCode !== undefined) return undefined;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms on the WebSocket`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  close(): void {
    this.socket.close(1000);
  }
}
