// The typed pub/sub every state change is published on. In-process by default;
// on Redis when REDIS_URL is set, so a subscriber on one replica sees events
// published on any other.
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import type { TypedEventTarget } from '@graphql-yoga/typed-event-target';
import { createPubSub, SlidingBuffer, type PubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';
import type { HandoffStatus, HandoffType, TriageCategory } from '../db/generated/prisma/enums.js';
import type { Logger } from '../logger.js';

/** One status change of a handoff. Dates are ISO strings: events cross process boundaries as JSON. */
export interface HandoffProgressEvent {
  id: string;
  handoffId: string;
  /** Null for a campaign's own escalation, which concerns no single lead. */
  leadId: string | null;
  campaignId: string | null;
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

/** A campaign KPI that breached its threshold with significance, and the escalation it raised. */
export interface CampaignAlertEvent {
  campaignId: string;
  kpi: string;
  severity: string;
  summary: string;
  observed: number;
  threshold: number;
  escalationId: string | null;
  raisedAt: string;
}

export type BatonEvents = {
  'handoff:progress': [HandoffProgressEvent];
  'lead:processed': [LeadProcessedEvent];
  'campaign:alert': [CampaignAlertEvent];
};

export type BatonPubSub = PubSub<BatonEvents>;

export interface EventBus {
  pubsub: BatonPubSub;
  transport: 'redis' | 'in-process';
  close(): Promise<void>;
}

/** A subscriber slower than this many pending events loses the oldest, instead of failing. */
const SUBSCRIBER_BUFFER = 1024;

export function createEventBus(options: { redisUrl?: string | undefined; channelPrefix: string; logger: Logger }): EventBus {
  if (!options.redisUrl) {
    return {
      pubsub: createPubSub<BatonEvents>({ repeaterBuffer: new SlidingBuffer(SUBSCRIBER_BUFFER) }),
      transport: 'in-process',
      close: async () => {},
    };
  }
  // Redis needs one connection in subscriber mode and another to publish.
  const publishClient = new Redis(options.redisUrl, { maxRetriesPerRequest: 3 });
  const subscribeClient = new Redis(options.redisUrl);
  for (const client of [publishClient, subscribeClient]) {
    // ioredis reconnects by itself; without a listener it would also print every failure to stderr.
    client.on('error', (error: Error) => options.logger.warn({ err: error }, 'Redis connection error'));
  }
  const target = createRedisEventTarget<CustomEvent>({
    publishClient: withoutUnhandledRejections(publishClient, options.logger),
    subscribeClient: withoutUnhandledRejections(subscribeClient, options.logger),
  });
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

/**
 * The Redis event target fires PUBLISH, SUBSCRIBE and UNSUBSCRIBE without
 * awaiting them; a rejection (Redis down, or an unsubscribe racing shutdown)
 * would be unhandled and end the process. Live events are best effort (every
 * handoff event is also stored), so a failure is logged instead.
 */
function withoutUnhandledRejections(client: Redis, logger: Logger): Redis {
  const guarded = (command: 'publish' | 'subscribe' | 'unsubscribe') =>
    (...args: unknown[]) =>
      (client[command] as (...a: unknown[]) => Promise<unknown>).apply(client, args).catch((error: unknown) => {
        if (client.status !== 'end') logger.warn({ err: error, command }, 'Redis pub/sub command failed');
      });
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'publish' || property === 'subscribe' || property === 'unsubscribe') return guarded(property);
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
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
