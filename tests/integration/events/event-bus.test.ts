// The typed pub/sub contract, for each transport available: in-process always,
// Redis when REDIS_URL is set (CI sets it).
import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { openSharedStores } from '../../../src/app/stores.js';
import type { BatonEvents, EventBus, LeadProcessedEvent } from '../../../src/events/event-bus.js';
import { createLogger } from '../../../src/logger.js';
import { untilRedisSubscribers } from '../../support/live-subscriptions.js';

const silent = createLogger('silent', 'test');
const transports = [{ name: 'in-process', redisUrl: undefined }, ...(process.env.REDIS_URL ? [{ name: 'redis', redisUrl: process.env.REDIS_URL }] : [])];

const event = (leadId: string): LeadProcessedEvent => ({ leadId, score: 50, category: 'GENERAL_INQUIRY', processedAt: new Date().toISOString() });

type TestBus = EventBus & {
  /**
   * Resolves once an event published from now on reaches this bus's open subscriptions to
   * `event`: at once in-process (a subscription listens from its first read), on Redis
   * once the subscriber connection's SUBSCRIBE went through.
   */
  listening(event: keyof BatonEvents): Promise<void>;
  close(): Promise<void>;
};

/** An event bus as the server opens it (src/app/stores.ts); closing it closes its Redis connection. */
function openBus(redisUrl: string | undefined, channelPrefix: string, logger = silent): TestBus {
  const stores = openSharedStores({ redisUrl, keyPrefix: channelPrefix, logger });
  return {
    ...stores.eventBus(),
    listening: async (event) => {
      if (redisUrl) await untilRedisSubscribers(redisUrl, channelPrefix + event);
    },
    close: () => stores.close(),
  };
}

/** Collects what a subscription receives until `count` events arrived. */
async function receive(bus: TestBus, count: number, publish: () => void | Promise<void>) {
  const subscription = bus.pubsub.subscribe('lead:processed');
  const received: LeadProcessedEvent[] = [];
  const collecting = (async () => {
    for await (const value of subscription) {
      received.push(value);
      if (received.length === count) break;
    }
  })();
  await bus.listening('lead:processed');
  await publish();
  await vi.waitFor(() => expect(received).toHaveLength(count), { timeout: 5000 });
  await subscription.return();
  await collecting;
  return received;
}

describe.each(transports)('event bus ($name)', ({ redisUrl }) => {
  it('delivers published events to subscribers, as JSON-safe values', async () => {
    const bus = openBus(redisUrl, `test-${randomBytes(4).toString('hex')}:`);
    try {
      const sent = event('lead-a');
      expect(await receive(bus, 1, () => bus.pubsub.publish('lead:processed', sent))).toEqual([sent]);
    } finally {
      await bus.close();
    }
  });

  it('closes cleanly while subscriptions are still open', async () => {
    const bus = openBus(redisUrl, `test-${randomBytes(4).toString('hex')}:`);
    const subscription = bus.pubsub.subscribe('handoff:progress');
    const pending = subscription.next();
    await bus.listening('handoff:progress');
    await bus.close();
    // Unsubscribing after the connection closed must not surface as an unhandled rejection.
    await subscription.return();
    await pending;
  });
});

describe.runIf(process.env.REDIS_URL)('event bus across replicas (Redis)', () => {
  const redisUrl = process.env.REDIS_URL!;

  it('delivers an event published on one replica to a subscriber on another', async () => {
    const prefix = `test-${randomBytes(4).toString('hex')}:`;
    const [publisher, subscriber] = [0, 1].map(() => openBus(redisUrl, prefix));
    try {
      const sent = event('lead-cross');
      expect(await receive(subscriber!, 1, () => publisher!.pubsub.publish('lead:processed', sent))).toEqual([sent]);
    } finally {
      await Promise.all([publisher!.close(), subscriber!.close()]);
    }
  });

  it('keeps deployments with different prefixes apart', async () => {
    const ours = openBus(redisUrl, `test-${randomBytes(4).toString('hex')}:`);
    const theirs = openBus(redisUrl, `test-${randomBytes(4).toString('hex')}:`);
    try {
      const mine = event('lead-ours');
      const received = await receive(ours, 1, async () => {
        await theirs.pubsub.publish('lead:processed', event('lead-theirs'));
        await ours.pubsub.publish('lead:processed', mine);
      });
      expect(received).toEqual([mine]);
    } finally {
      await Promise.all([ours.close(), theirs.close()]);
    }
  });
});

describe('event bus on an unreachable Redis', () => {
  it('logs a failed publish instead of crashing the process', async () => {
    const logger = createLogger('silent', 'test');
    const warn = vi.spyOn(logger, 'warn');
    const bus = openBus('redis://127.0.0.1:1', 'test:', logger);
    try {
      await bus.pubsub.publish('lead:processed', event('lead-lost'));
      await vi.waitFor(() => expect(warn).toHaveBeenCalledWith(expect.objectContaining({ command: 'publish' }), 'Redis pub/sub command failed'), {
        timeout: 15_000,
      });
    } finally {
      await bus.close();
    }
  }, 20_000);

  it("still delivers an event to this process's own subscribers: pub/sub degrades to in-process", async () => {
    const stores = openSharedStores({ redisUrl: 'redis://127.0.0.1:1', keyPrefix: 'test:', logger: silent });
    const bus: TestBus = { ...stores.eventBus(), listening: async () => {}, close: () => stores.close() };
    try {
      const sent = event('lead-heard-here');
      expect(await receive(bus, 1, () => bus.pubsub.publish('lead:processed', sent))).toEqual([sent]);
    } finally {
      await bus.close();
    }
  }, 20_000);
});
