// Records the delivery events a provider reports (POST /api/v1/events/deliveries),
// each once, whatever the provider replays.
//
// An event names a message of the outbox; it becomes an Interaction of the
// matching type on that message's lead, conversation, channel and template,
// recorded through the interaction log (src/memory/interaction-log.ts) like any
// other signal: consolidation turns replies and meetings into the episodes triage
// learns from, and variant evidence (src/agents/engagement/variant-evidence.ts)
// counts a click, reply or meeting of the lead after a touchpoint as that
// touchpoint's success. Beyond the log:
//   bounced                   the message is BOUNCED, the reason its lastError;
//   unsubscribed, complained  the lead is do-not-contact (its profile created if
//                             need be) and every message still SCHEDULED for it is
//                             SUPPRESSED (the delivery worker checks again at send time).
//
// Idempotency: each event's id is claimed in DeliveryEvent (INSERT … ON CONFLICT
// DO NOTHING) in the transaction that applies its effects, so an event is applied
// once even when two deliveries of it race; the claim, the interaction and the
// effects commit together or not at all. An event that names no known message is
// rejected on its own: the rest of the request is recorded all the same.
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../../db/generated/prisma/client.js';
import type { Channel } from '../../db/generated/prisma/enums.js';
import { CLOCK_SKEW_MS, recordInteractionsIn } from '../../memory/interaction-log.js';
import type { JsonValue } from '../../memory/json.js';
import type { PersonalDataCipher } from '../../privacy/personal-data-cipher.js';
import {
  INTERACTION_TYPE_OF,
  STOP_EVENTS,
  type DeliveryEvent,
  type DeliveryEventResults,
  type MessageReference,
  type RejectedEvent,
} from './delivery-event.js';

const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 60_000 };

interface KnownMessage {
  id: string;
  leadId: string | null;
  channel: Channel;
  template: string;
  conversationId: string | null;
  providerMessageId: string | null;
  dedupKey: string;
  sentAt: Date | null;
}

/** An event whose message is known, ready to be claimed. */
interface ResolvedEvent {
  event: DeliveryEvent;
  message: KnownMessage;
  interactionId: string | null;
  /** When it happened, never before its message was sent (a provider's clock may be a little behind Baton's). */
  occurredAt: Date;
}

export interface DeliveryEventReceiver {
  receive(events: readonly DeliveryEvent[]): Promise<DeliveryEventResults>;
}

export function createDeliveryEventReceiver({
  prisma,
  cipher,
  now = () => new Date(),
}: {
  prisma: PrismaClient;
  /** Seals what the provider's detail says of the person (an address in a bounce) in the interaction and the message. */
  cipher: PersonalDataCipher;
  now?: () => Date;
}): DeliveryEventReceiver {
  return {
    async receive(events) {
      const rejected: RejectedEvent[] = [];
      let duplicates = 0;
      const seen = new Set<string>();
      const candidates: { event: DeliveryEvent; index: number }[] = [];
      const latest = now().getTime() + CLOCK_SKEW_MS;
      for (const [index, event] of events.entries()) {
        if (seen.has(event.id)) {
          duplicates++; // The same event twice in one request: the first one counts.
          continue;
        }
        seen.add(event.id);
        if (event.occurredAt.getTime() > latest) rejected.push({ index, id: event.id, reason: 'occurred_at is in the future' });
        else candidates.push({ event, index });
      }

      const messages = await findMessages(
        prisma,
        candidates.map(({ event }) => event.message),
      );
      const resolved: ResolvedEvent[] = [];
      for (const { event, index } of candidates) {
        const found = messages(event.message);
        if (found.length !== 1) {
          rejected.push({
            index,
            id: event.id,
            reason: found.length === 0 ? `no message with ${describe(event.message)}` : `${describe(event.message)} names ${found.length} messages`,
          });
          continue;
        }
        const message = found[0]!;
        const occurredAt = message.sentAt && event.occurredAt < message.sentAt ? message.sentAt : event.occurredAt;
        resolved.push({ event, message, interactionId: message.leadId ? randomUUID() : null, occurredAt });
      }
      rejected.sort((a, b) => a.index - b.index);
      if (resolved.length === 0) return { accepted: 0, duplicates, rejected };

      const accepted = await prisma.$transaction(async (tx) => {
        // Serializes with engagement (which locks the lead to plan): a plan either
        // sees the do-not-contact flag, or its scheduled messages are suppressed here.
        const stopping = [...new Set(resolved.filter(({ event }) => STOP_EVENTS.has(event.type)).flatMap(({ message }) => message.leadId ?? []))].sort();
        if (stopping.length > 0) await tx.$queryRaw`SELECT "id" FROM "Lead" WHERE "id" = ANY(${stopping}::text[]) ORDER BY "id" FOR UPDATE`;

        const claimed = await tx.deliveryEvent.createManyAndReturn({
          data: resolved.map(({ event, message, interactionId, occurredAt }) => ({
            id: event.id,
            messageId: message.id,
            type: INTERACTION_TYPE_OF[event.type],
            interactionId,
            occurredAt,
          })),
          skipDuplicates: true,
          select: { id: true },
        });
        const fresh = new Set(claimed.map(({ id }) => id));
        const applied = resolved.filter(({ event }) => fresh.has(event.id));

        await recordInteractionsIn(
          tx,
          applied.flatMap(({ event, message, interactionId, occurredAt }) =>
            message.leadId && interactionId
              ? [
                  {
                    id: interactionId,
                    leadId: message.leadId,
                    conversationId: message.conversationId ?? undefined,
                    type: INTERACTION_TYPE_OF[event.type],
                    channel: message.channel,
                    template: message.template,
                    occurredAt,
                    metadata: cipher.sealJson({ delivery: deliveryMetadata(event, message) }),
                  },
                ]
              : [],
          ),
        );

        for (const { event, message } of applied.filter(({ event }) => event.type === 'bounced')) {
          await tx.outboundMessage.update({ where: { id: message.id }, data: { status: 'BOUNCED', lastError: cipher.seal(bounceReason(event)) } });
        }

        const stopped = new Map<string, DeliveryEvent>();
        for (const { event, message } of applied) if (message.leadId && STOP_EVENTS.has(event.type)) stopped.set(message.leadId, event);
        for (const [leadId, event] of stopped) {
          await tx.leadProfile.upsert({ where: { leadId }, create: { leadId, doNotContact: true }, update: { doNotContact: true } });
          await tx.outboundMessage.updateMany({
            where: { leadId, status: 'SCHEDULED' },
            data: { status: 'SUPPRESSED', lastError: cipher.seal(`The lead ${event.type} (delivery event ${event.id}): do not contact.`) },
          });
        }
        return applied.length;
      }, TRANSACTION_OPTIONS);

      return { accepted, duplicates: duplicates + resolved.length - accepted, rejected };
    },
  };
}

/** One query for every message the events name; the lookup answers each reference with its matches. */
async function findMessages(prisma: PrismaClient, references: readonly MessageReference[]): Promise<(reference: MessageReference) => KnownMessage[]> {
  const ids = references.flatMap((reference) => ('messageId' in reference ? [reference.messageId] : []));
  const dedupKeys = references.flatMap((reference) => ('dedupKey' in reference ? [reference.dedupKey] : []));
  const providerIds = references.flatMap((reference) => ('providerMessageId' in reference ? [reference.providerMessageId] : []));
  const rows =
    references.length === 0
      ? []
      : await prisma.outboundMessage.findMany({
          where: { OR: [{ id: { in: ids } }, { dedupKey: { in: dedupKeys } }, { providerMessageId: { in: providerIds } }] },
          select: { id: true, leadId: true, channel: true, template: true, conversationId: true, providerMessageId: true, dedupKey: true, sentAt: true },
        });
  return (reference) => {
    if ('messageId' in reference) return rows.filter((row) => row.id === reference.messageId);
    if ('dedupKey' in reference) return rows.filter((row) => row.dedupKey === reference.dedupKey);
    return rows.filter((row) => row.providerMessageId === reference.providerMessageId);
  };
}

function describe(reference: MessageReference): string {
  if ('messageId' in reference) return `message_id ${reference.messageId}`;
  if ('dedupKey' in reference) return `dedup_key ${reference.dedupKey}`;
  return `provider_message_id ${reference.providerMessageId}`;
}

/** What the interaction's metadata keeps of the event: where it came from, and the provider's detail. */
function deliveryMetadata(event: DeliveryEvent, message: KnownMessage): { [key: string]: JsonValue } {
  return {
    event_id: event.id,
    event_type: event.type,
    message_id: message.id,
    ...(message.providerMessageId ? { provider_message_id: message.providerMessageId } : {}),
    // Moved up to the send time: the time the provider reported, for the record.
    ...(message.sentAt && event.occurredAt < message.sentAt ? { reported_occurred_at: event.occurredAt.toISOString() } : {}),
    ...(Object.keys(event.detail).length > 0 ? { detail: event.detail } : {}),
  };
}

function bounceReason(event: DeliveryEvent): string {
  const reason = event.detail.reason;
  return typeof reason === 'string' && reason.trim() ? `Bounced: ${reason.trim()}` : 'Bounced (the provider gave no reason).';
}
