// The typed pub/sub every state change is published on. In-process with the
// embedded database; on Redis when REDIS_URL is set, else on PostgreSQL's
// LISTEN/NOTIFY (postgres-event-target.ts), so a subscriber in one process hears
// events published by any other. src/app/stores.ts picks one.
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import type { TypedEventTarget } from '@graphql-yoga/typed-event-target';
import { createPubSub, SlidingBuffer, type PubSub } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import type { FlowStatus, HandoffStatus, HandoffType, TriageCategory } from '../db/generated/prisma/enums.js';
import type { Logger } from '../logger.js';
import type { Notifications } from '../db/notifications.js';
import type { RedisConnection } from '../redis/redis-connection.js';
import { createPostgresEventTarget } from './postgres-event-target.js';

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

/** A lead's flow settled: every agent handoff in it has ended (processLead waits for this). */
export interface FlowSettledEvent {
  flowId: string;
  leadId: string;
  status: Exclude<FlowStatus, 'IN_PROGRESS'>;
  settledAt: string;
}

/**
 * One triage model fit, published by the consolidation that ran it. `kind` is what
 * its drift check found: DRIFT_DETECTED opened a drift episode, RECOVERED closed one,
 * FITTED neither. driftState is the check's state (WARMING_UP, STABLE, DRIFTING; null
 * when the fit ran no check), carried as a plain string like a breach's KPI.
 */
export interface TriageModelFittedEvent {
  kind: TriageModelEventKind;
  /** The version fitted. */
  version: string;
  promoted: boolean;
  /** The version scoring leads after the fit (the fitted one when promoted). */
  currentVersion: string;
  driftState: string | null;
  pValue: number | null;
  occurredAt: string;
}

export type TriageModelEventKind = 'FITTED' | 'DRIFT_DETECTED' | 'RECOVERED';

export type BatonEvents = {
  'handoff:progress': [HandoffProgressEvent];
  'lead:processed': [LeadProcessedEvent];
  'campaign:alert': [CampaignAlertEvent];
  'flow:settled': [FlowSettledEvent];
  'triage-model:fitted': [TriageModelFittedEvent];
};

export type BatonPubSub = PubSub<BatonEvents>;

export interface EventBus {
  pubsub: BatonPubSub;
  transport: 'redis' | 'postgres' | 'in-process';
}

/** A subscriber slower than this many pending events loses the oldest, instead of failing. */
const SUBSCRIBER_BUFFER = 1024;

export function createInProcessEventBus(): EventBus {
  return {
    pubsub: createPubSub<BatonEvents>({ repeaterBuffer: new SlidingBuffer(SUBSCRIBER_BUFFER) }),
    transport: 'in-process',
  };
}

/** Events over the database's LISTEN/NOTIFY, in the order they were published. */
export function createPostgresEventBus(notifications: Notifications, options: { channelPrefix: string; logger: Pick<Logger, 'warn'> }): EventBus {
  return {
    pubsub: createPubSub<BatonEvents>({
      eventTarget: withChannelPrefix(createPostgresEventTarget(notifications, options.logger), options.channelPrefix),
      repeaterBuffer: new SlidingBuffer(SUBSCRIBER_BUFFER),
    }),
    transport: 'postgres',
  };
}

/**
 * Publishes on the connection's command client and listens on its subscriber; the connection's owner closes them.
 * While Redis is unreachable, an event whose PUBLISH failed still reaches this
 * process's own subscribers (a request waiting for its lead's flow to settle
 * hears it; other processes do not): pub/sub degrades to in-process, and the
 * events themselves are stored in PostgreSQL whatever happens.
 */
export function createRedisEventBus(redis: RedisConnection, options: { channelPrefix: string; logger: Pick<Logger, 'warn'> }): EventBus {
  const local = new EventTarget();
  const deliverLocally = (channel: string, message: string) =>
    local.dispatchEvent(new CustomEvent(channel, { detail: message === '' ? null : JSON.parse(message) }));
  const redisTarget = createRedisEventTarget<CustomEvent>({
    publishClient: withoutUnhandledRejections(redis.commands, options.logger, deliverLocally),
    subscribeClient: withoutUnhandledRejections(redis.subscriber(), options.logger),
  });
  const target: TypedEventTarget<CustomEvent> = {
    addEventListener(type, listener) {
      redisTarget.addEventListener(type, listener);
      local.addEventListener(type, listener as EventListener);
    },
    removeEventListener(type, listener) {
      redisTarget.removeEventListener(type, listener);
      local.removeEventListener(type, listener as EventListener);
    },
    dispatchEvent: (event) => redisTarget.dispatchEvent(event),
  };
  return {
    pubsub: createPubSub<BatonEvents>({
      eventTarget: withChannelPrefix(target, options.channelPrefix),
      repeaterBuffer: new SlidingBuffer(SUBSCRIBER_BUFFER),
    }),
    transport: 'redis',
  };
}

/**
 * The Redis event target fires PUBLISH, SUBSCRIBE and UNSUBSCRIBE without
 * awaiting them; a rejection (Redis down, or an unsubscribe racing shutdown)
 * would be unhandled and end the process. Live events are best effort (every
 * handoff event is also stored), so a failure is logged instead, and a PUBLISH
 * that failed is handed to `onPublishFailed` (channel, message).
 */
function withoutUnhandledRejections(client: Redis, logger: Pick<Logger, 'warn'>, onPublishFailed?: (channel: string, message: string) => void): Redis {
  const guarded =
    (command: 'publish' | 'subscribe' | 'unsubscribe') =>
    (...args: unknown[]) =>
      (client[command] as (...a: unknown[]) => Promise<unknown>).apply(client, args).catch((error: unknown) => {
        if (client.status === 'end') return;
        logger.warn({ err: error, command }, 'Redis pub/sub command failed');
        if (command === 'publish') onPublishFailed?.(String(args[0]), String(args[1]));
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
