// PostgreSQL's LISTEN/NOTIFY, on either database: what lets work and events
// cross processes with nothing but the database (a NOTIFY sent inside a
// transaction is delivered when it commits, and not at all if it rolls back).
//   PostgreSQL: one dedicated connection listens for every channel of the
//   process, and listens again after it reconnects.
//   PGlite: the embedded database's own listen().
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export type NotificationListener = (payload: string) => void;

export interface NotificationMessage {
  channel: string;
  payload: string;
}

/** One SELECT of pg_notify calls: PostgreSQL queues them in the order they run, left to right. */
function notifyStatement(messages: readonly NotificationMessage[]): { text: string; values: string[] } {
  return {
    text: `SELECT ${messages.map((_, index) => `pg_notify($${2 * index + 1}, $${2 * index + 2})`).join(', ')}`,
    values: messages.flatMap(({ channel, payload }) => [channel, payload]),
  };
}

export interface Notifications {
  /** Hears every NOTIFY on `channel` from now on; resolves once listening. Returns how to stop. */
  listen(channel: string, listener: NotificationListener): Promise<() => Promise<void>>;
  /** Sends each payload (at most 8,000 bytes) on its channel, in order, in one statement outside any transaction. */
  notify(messages: readonly NotificationMessage[]): Promise<void>;
  close(): Promise<void>;
}

export function pgliteNotifications(db: PGlite): Notifications {
  return {
    async listen(channel, listener) {
      const unlisten = await db.listen(channel, listener);
      return async () => unlisten();
    },
    async notify(messages) {
      if (messages.length === 0) return;
      const { text, values } = notifyStatement(messages);
      await db.query(text, values);
    },
    close: async () => {},
  };
}

/** How long to wait before connecting the listener again after it lost its connection. */
const RECONNECT_DELAY_MS = 1_000;

export function postgresNotifications(url: string, pool: pg.Pool, onError: (error: Error) => void): Notifications {
  const listeners = new Map<string, Set<NotificationListener>>();
  let client: Promise<pg.Client> | null = null;
  let closed = false;

  const quote = (channel: string) => `"${channel.replaceAll('"', '""')}"`;

  /** The listening connection, connected (again) on demand, listening to every channel wanted so far. */
  function connection(): Promise<pg.Client> {
    client ??= (async () => {
      const next = new pg.Client({ connectionString: url });
      next.on('notification', ({ channel, payload }) => {
        for (const listener of listeners.get(channel) ?? []) listener(payload ?? '');
      });
      next.on('error', (error) => {
        onError(error);
        client = null;
        next.end().catch(() => {});
        if (!closed) setTimeout(() => connection().catch(onError), RECONNECT_DELAY_MS).unref();
      });
      await next.connect();
      for (const channel of listeners.keys()) await next.query(`LISTEN ${quote(channel)}`);
      return next;
    })();
    client.catch(() => {
      client = null;
    });
    return client;
  }

  return {
    async listen(channel, listener) {
      const known = listeners.get(channel);
      if (known) known.add(listener);
      else {
        listeners.set(channel, new Set([listener]));
        await (await connection()).query(`LISTEN ${quote(channel)}`);
      }
      return async () => {
        const set = listeners.get(channel);
        set?.delete(listener);
        if (set?.size === 0) {
          listeners.delete(channel);
          if (client && !closed) await (await client).query(`UNLISTEN ${quote(channel)}`).catch(() => {});
        }
      };
    },
    async notify(messages) {
      if (messages.length === 0) return;
      const { text, values } = notifyStatement(messages);
      await pool.query(text, values);
    },
    async close() {
      closed = true;
      const open = client;
      client = null;
      if (open) await (await open.catch(() => null))?.end().catch(() => {});
    },
  };
}
