// Baton's connection to Redis (REDIS_URL): one client for commands, shared by
// every Redis-backed store of the process (short-term memory, rate limits,
// idempotency keys, publishing events), and, when pub/sub is used, a second one
// in subscriber mode (a subscribed connection can run no other command).
// src/app/stores.ts opens it and picks each store's Redis or in-process twin.
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

export interface RedisConnection {
  /** Commands (and PUBLISH). */
  readonly commands: Redis;
  /** The subscriber connection, opened on first use. */
  subscriber(): Redis;
  /** Quits both connections (pending replies arrive first); drops them when Redis is unreachable. */
  close(): Promise<void>;
}

/**
 * A bounded retry count makes a command reject while Redis is unreachable
 * instead of queueing forever; ioredis reconnects by itself in the background.
 */
const MAX_RETRIES_PER_REQUEST = 2;

export function connectRedis(url: string, logger: Pick<Logger, 'warn'>): RedisConnection {
  const open = (role: string): Redis => {
    const client = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: MAX_RETRIES_PER_REQUEST });
    // Without a listener ioredis would also print every connection failure to stderr.
    client.on('error', (error: Error) => logger.warn({ err: error, connection: role }, 'Redis connection error'));
    return client;
  };
  const commands = open('commands');
  let subscriber: Redis | undefined;
  return {
    commands,
    subscriber: () => (subscriber ??= open('subscriber')),
    async close() {
      await Promise.all(
        [commands, subscriber].map((client) => (client && client.status !== 'end' ? client.quit().catch(() => client.disconnect()) : undefined)),
      );
    },
  };
}
