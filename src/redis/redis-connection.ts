// Baton's connection to Redis (REDIS_URL): one client for commands, shared by
// every Redis-backed store of the process (short-term memory, rate limits,
// idempotency keys, publishing events), and, when pub/sub is used, a second one
// in subscriber mode (a subscribed connection can run no other command).
// src/app/stores.ts opens it and picks each store's Redis or in-process twin.
//
// Redis is a dependency Baton degrades without (README, "When a dependency is
// down"): while it is unreachable a command fails at once instead of waiting in
// ioredis's offline queue, and each caller skips or falls back; ioredis keeps
// reconnecting in the background, and the stores work again as soon as it answers.
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

export interface RedisConnection {
  /** Commands (and PUBLISH). */
  readonly commands: Redis;
  /** The subscriber connection, opened on first use. */
  subscriber(): Redis;
  /** True while the command connection is connected and ready. */
  up(): boolean;
  /** Resolves once the command connection is ready, or after `timeoutMs` (then Baton starts degraded). */
  ready(timeoutMs: number): Promise<boolean>;
  /** Quits both connections (pending replies arrive first); drops them when Redis is unreachable. */
  close(): Promise<void>;
}

/**
 * Commands: no offline queue once the first connection attempt has ended
 * either way (from then on a command while disconnected rejects at once; until
 * then it waits for that attempt), one retry of a command caught by a dropped
 * connection, and a bound on a command Redis accepts but never answers (a
 * stopped or overloaded server).
 */
const COMMAND_OPTIONS = { enableOfflineQueue: true, maxRetriesPerRequest: 1, commandTimeout: 1_000 } as const;

/**
 * The subscriber's SUBSCRIBEs wait for the connection however long it takes
 * (and are sent again on every reconnection): a subscription given up on would
 * leave this process deaf to other processes' events once Redis is back.
 */
const SUBSCRIBER_OPTIONS = { enableOfflineQueue: true, maxRetriesPerRequest: null } as const;

/** Reconnection attempts back off up to this (ioredis's default schedule is 50 ms × attempts, capped at 2 s). */
const MAX_RECONNECT_DELAY_MS = 1_000;

export function connectRedis(url: string, logger: Pick<Logger, 'warn'>): RedisConnection {
  const open = (role: string, options: typeof COMMAND_OPTIONS | typeof SUBSCRIBER_OPTIONS): Redis => {
    const client = new Redis(url, {
      lazyConnect: false,
      connectTimeout: 2_000,
      retryStrategy: (attempts) => Math.min(attempts * 100, MAX_RECONNECT_DELAY_MS),
      ...options,
    });
    if (role === 'commands') {
      const failFast = () => {
        client.options.enableOfflineQueue = false;
      };
      client.once('ready', failFast);
      client.once('error', failFast);
    }
    // One line when the connection is lost and one when it is back, not one per reconnection attempt.
    let down = false;
    // Without an error listener ioredis would also print every connection failure to stderr.
    client.on('error', (error: Error) => {
      if (down) return;
      down = true;
      logger.warn({ err: error, connection: role }, 'Redis unreachable: running degraded until it answers again');
    });
    client.on('ready', () => {
      if (!down) return;
      down = false;
      logger.warn({ connection: role }, 'Redis reachable again');
    });
    return client;
  };
  const commands = open('commands', COMMAND_OPTIONS);
  let subscriber: Redis | undefined;
  return {
    commands,
    subscriber: () => (subscriber ??= open('subscriber', SUBSCRIBER_OPTIONS)),
    up: () => commands.status === 'ready',
    ready(timeoutMs) {
      if (commands.status === 'ready') return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          commands.off('ready', onReady);
          resolve(false);
        }, timeoutMs);
        const onReady = () => {
          clearTimeout(timer);
          resolve(true);
        };
        commands.once('ready', onReady);
      });
    },
    async close() {
      // A connection that is not up is dropped: a QUIT would wait in the subscriber's queue for a Redis that may never come back.
      await Promise.all(
        [commands, subscriber].map((client) => {
          if (!client || client.status === 'end') return undefined;
          if (client.status !== 'ready') return client.disconnect();
          return client.quit().catch(() => client.disconnect());
        }),
      );
    },
  };
}
