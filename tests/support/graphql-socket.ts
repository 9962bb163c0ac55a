// graphql-ws at the level of its messages (the graphql-transport-ws protocol),
// for tests about the messages themselves, which a graphql-ws Client hides.
import WebSocket from 'ws';

export interface ServerMessage {
  type: string;
  id?: string;
  payload?: unknown;
}

export interface GraphQLSocket {
  /** Every message the server sent, in order. */
  readonly received: readonly ServerMessage[];
  /** The server's close code, once the socket closed. */
  readonly closeCode: number | undefined;
  /** Resolves with the close code when the socket closes, whoever closes it. */
  readonly closed: Promise<number>;
  subscribe(id: string, payload: { query: string; variables?: Record<string, unknown> }): void;
  /** Ends a running operation, as a client does when it stops listening. */
  complete(id: string): void;
  /** The first message, received or still to come, that `matches`; rejects if the socket closes first. */
  message(matches: (message: ServerMessage) => boolean): Promise<ServerMessage>;
  close(): Promise<void>;
}

/** Opens a socket on `baseUrl`/graphql and resolves once the server acknowledged the connection. */
export async function openGraphQLSocket(baseUrl: string, token: string): Promise<GraphQLSocket> {
  const socket = new WebSocket(`${baseUrl.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
  const received: ServerMessage[] = [];
  const waiting = new Set<{ matches: (message: ServerMessage) => boolean; resolve: (message: ServerMessage) => void; reject: (error: Error) => void }>();
  let closeCode: number | undefined;

  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as ServerMessage;
    received.push(message);
    for (const waiter of waiting) {
      if (!waiter.matches(message)) continue;
      waiting.delete(waiter);
      waiter.resolve(message);
    }
  });
  const closed = new Promise<number>((resolve) =>
    socket.once('close', (code) => {
      closeCode = code;
      for (const waiter of waiting) waiter.reject(new Error(`the socket closed (${code}) before the message came`));
      waiting.clear();
      resolve(code);
    }),
  );

  const message = (matches: (message: ServerMessage) => boolean) =>
    new Promise<ServerMessage>((resolve, reject) => {
      const earlier = received.find(matches);
      if (earlier) return resolve(earlier);
      if (closeCode !== undefined) return reject(new Error(`the socket closed (${closeCode})`));
      waiting.add({ matches, resolve, reject });
    });

  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  await message((m) => m.type === 'connection_ack');
  return {
    received,
    get closeCode() {
      return closeCode;
    },
    closed,
    subscribe: (id, payload) => socket.send(JSON.stringify({ id, type: 'subscribe', payload })),
    complete: (id) => socket.send(JSON.stringify({ id, type: 'complete' })),
    message,
    async close() {
      socket.close(1000);
      await closed;
    },
  };
}
