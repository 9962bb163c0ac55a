// When a subscription is live: the server reads its stream (it counts in
// baton_graphql_subscriptions_active) and, with Redis, the replica's subscriber
// connection listens on the event's channel (PUBSUB NUMSUB). From then on an
// event published on any replica reaches it; an event published before may not.
import { Redis } from 'ioredis';
import { expect, vi } from 'vitest';
import type { BatonEvents } from '../../src/events/event-bus.js';
import type { SubscriptionTransport } from '../../src/http/metrics.js';
import { metric } from './metrics.js';
import type { TestApp } from './test-app.js';

const WAIT = { timeout: 5_000, interval: 10 };

/** The subscriptions `baton` streams over `transport` right now. */
export function activeSubscriptions(baton: TestApp, transport: SubscriptionTransport): Promise<number> {
  return metric(baton.url, 'baton_graphql_subscriptions_active', { transport });
}

/** Resolves once `baton` streams exactly `count` subscriptions over `transport` (0: the earlier ones are gone). */
export async function untilActiveSubscriptions(baton: TestApp, transport: SubscriptionTransport, count: number): Promise<void> {
  await vi.waitFor(async () => expect(await activeSubscriptions(baton, transport)).toBe(count), WAIT);
}

/** Resolves once `baton` streams `count` subscriptions over `transport` and an `event` published on any replica reaches them. */
export async function untilSubscribed(
  baton: TestApp,
  { transport, count = 1, event }: { transport: SubscriptionTransport; count?: number; event: keyof BatonEvents },
) {
  await untilActiveSubscriptions(baton, transport, count);
  const { redisUrl, redisKeyPrefix } = baton.app.config;
  if (baton.app.eventBus.transport === 'redis') await untilRedisSubscribers(redisUrl!, redisKeyPrefix + event);
}

/** Resolves once at least `count` connections are subscribed to `channel` on the Redis at `redisUrl`. */
export async function untilRedisSubscribers(redisUrl: string, channel: string, count = 1): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    await vi.waitFor(async () => {
      const [, subscribers] = (await redis.pubsub('NUMSUB', channel)) as [string, number];
      expect(subscribers).toBeGreaterThanOrEqual(count);
    }, WAIT);
  } finally {
    await redis.quit();
  }
}
