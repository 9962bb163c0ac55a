// The one place that opens the Redis connection (REDIS_URL) and picks each
// store's twin: with Redis, the implementation every replica shares; without,
// the in-process one, enough for a single process. Each twin keeps its own file
// beside its interface; only this module knows both exist.
//
//   events             src/events/event-bus.ts               pub/sub of handoff progress and alerts
//                                                            (without Redis, PostgreSQL's LISTEN/NOTIFY when there is one)
//   short-term memory  src/memory/short-term/                conversation contexts with a TTL
//   rate limits        src/graphql/rate-limit/               operations per caller per minute
//   idempotency keys   src/rest/idempotency/                 replays of POST /api/v1/leads
import type { Notifications } from '../db/notifications.js';
import { createInProcessEventBus, createPostgresEventBus, createRedisEventBus, type EventBus } from '../events/event-bus.js';
import { InProcessRateLimiter } from '../graphql/rate-limit/in-process.js';
import { NO_RATE_LIMIT, type RateLimiter } from '../graphql/rate-limit/rate-limiter.js';
import { RedisRateLimiter } from '../graphql/rate-limit/redis.js';
import type { Logger } from '../logger.js';
import { InProcessShortTermMemory } from '../memory/short-term/in-process-short-term-memory.js';
import { RedisShortTermMemory } from '../memory/short-term/redis-short-term-memory.js';
import type { ShortTermMemory, ShortTermMemoryOptions } from '../memory/short-term/short-term-memory.js';
import { connectRedis } from '../redis/redis-connection.js';
import { resolveIdempotencyStoreOptions, type IdempotencyStore, type IdempotencyStoreOptions } from '../rest/idempotency/idempotency-store.js';
import { InProcessIdempotencyStore } from '../rest/idempotency/in-process.js';
import { RedisIdempotencyStore } from '../rest/idempotency/redis.js';

export interface SharedStores {
  readonly backend: 'redis' | 'in-process';
  /** `postgres`: the PostgreSQL database's notifications, which carry events between processes when there is no Redis. */
  eventBus(postgres?: Notifications): EventBus;
  shortTermMemory(options: Omit<ShortTermMemoryOptions, 'keyPrefix'>): ShortTermMemory;
  /** `perMinute` 0: no limit. `now` (epoch ms) names the window. */
  rateLimiter(options: { perMinute: number; now?: () => number }): RateLimiter;
  idempotencyStore(options?: Omit<IdempotencyStoreOptions, 'keyPrefix'>): IdempotencyStore;
  /** Whether Redis answers now; null without Redis. */
  redisUp(): boolean | null;
  /** Waits (at most `timeoutMs`) for Redis to be connected; false when it is not (Baton starts degraded). */
  ready(timeoutMs: number): Promise<boolean>;
  /** Closes the Redis connection: call after every store opened here is closed. */
  close(): Promise<void>;
}

export interface SharedStoresOptions {
  redisUrl: string | undefined;
  /** REDIS_KEY_PREFIX: every key and channel starts with it, so deployments can share a Redis. */
  keyPrefix: string;
  logger: Pick<Logger, 'warn'>;
}

export function openSharedStores({ redisUrl, keyPrefix, logger }: SharedStoresOptions): SharedStores {
  if (!redisUrl) {
    return {
      backend: 'in-process',
      eventBus: (postgres) => (postgres ? createPostgresEventBus(postgres, { channelPrefix: keyPrefix, logger }) : createInProcessEventBus()),
      shortTermMemory: (options) => new InProcessShortTermMemory(options),
      rateLimiter: ({ perMinute, now = Date.now }) => (perMinute === 0 ? NO_RATE_LIMIT : new InProcessRateLimiter(perMinute, now)),
      idempotencyStore: (options = {}) => new InProcessIdempotencyStore(resolveIdempotencyStoreOptions({ ...options, keyPrefix })),
      redisUp: () => null,
      ready: async () => true,
      close: async () => {},
    };
  }
  const redis = connectRedis(redisUrl, logger);
  return {
    backend: 'redis',
    eventBus: () => createRedisEventBus(redis, { channelPrefix: keyPrefix, logger }),
    shortTermMemory: (options) => new RedisShortTermMemory(redis.commands, { ...options, keyPrefix }),
    rateLimiter: ({ perMinute, now }) => (perMinute === 0 ? NO_RATE_LIMIT : new RedisRateLimiter(redis.commands, perMinute, keyPrefix, logger, now)),
    idempotencyStore: (options = {}) => new RedisIdempotencyStore(redis.commands, resolveIdempotencyStoreOptions({ ...options, keyPrefix })),
    redisUp: () => redis.up(),
    ready: (timeoutMs) => redis.ready(timeoutMs),
    close: () => redis.close(),
  };
}
