// The typed pub/sub every state change is published on. In-process by default;
// on Redis when REDIS_URL is set, so a subscriber on one replica sees events
// published on any other.
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import type { TypedEventTarget } from '@graphql-yoga/typed-event-target';
import { createPubSub, SlidingBuffer, type PubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';
import type { HandoffStatus, HandoffType, TriageCategory } from '../db/generated/prisma/enums.js';

/** One status change of a handoff. Dates are ISO strings: events cross process boundaries as JSON. */
export interface HandoffProgressEvent {
  id: string;
  handoffId: string;
  leadId: string;
  handoffType: HandoffType;
  sequence: number;
  status: HandoffStatus;
  qualityScore: number | null;
  detail: string | null;
  occurredAt: string;
}

export interface LeadProcessedEvent {
  leadId: string;
  score: number;
  category: TriageCategory;
  processedAt: string;
}

export type BatonEvents = {
  'handoff:progress': [HandoffProgressEvent];
  'lead:processed': [LeadProcessedEvent];
};

export type BatonPubSub = PubSub<BatonEvents>;

export interface EventBus {
  pubsub: BatonPubSub;
  transport: 'redis' | 'in-process';
  close(): Promise<void>;
}

/** A subscriber slower than this many pending events loses the oldest, instead of failing. */
const SUBSCRIBER_BUFFER = 1024;

export function createEventBus(options: { redisUrl?: string | undefined; channelPrefix: string }): EventBus {
  if (!options.redisUrl) {
    return {
      pubsub: createPubSub<BatonEvents>({ repeaterBuffer: new SlidingBuffer(SUBSCRIBER_BUFFER) }),
      transport: 'in-process',
      close: async () => {},
    };
  }
  // Redis needs one connection in subscriber mode and another to publish.
  const publishClient = new Redis(options.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const subscribeClient = new Redis(options.redisUrl, { lazyConnect: false });
  const target = createRedisEventTarget<CustomEvent>({ publishClient, subscribeClient });
  return {
    pubsub: createPubSub<BatonEvents>({
      eventTarget: withChannelPrefix(target, options.channelPrefix),
      repeaterBuffer: new SlidingBuffer(SUBSCRIBER_BUFFER),
    }),
    transport: 'redis',
    async close() {
      await Promise.allSettled([publishClient.quit(), subscribeClient.quit()]);
    },
  };
}

/** Namespaces Redis channels (REDIS_KEY_PREFIX) so deployments sharing a Redis do not hear each other. */
function withChannelPrefix(target: TypedEventTarget<CustomEvent>, prefix: string): TypedEventTarget<CustomEvent> {
  return {
    addEventListener(type, listener) {
      if (listener) target.addEventListener(prefix + type, listener);
    },
    removeEventListener(type, listener) {
      if (listener) target.removeEventListener(prefix + type, listener);
    },
    dispatchEvent(event) {
      return target.dispatchEvent(new CustomEvent(prefix + event.type, { detail: event.detail }));
    },
  };
}
