// The outbox: messages waiting to go out. Scheduling a message writes its row
// (SCHEDULED) and a `delivery` job due at its send time in the caller's
// transaction, so the decision, the message and the work of sending it commit
// together; the delivery worker takes the job when it falls due. The job key is
// the message's, so a message has at most one pending delivery job.
//
// Recipient, subject and body are people's data: stored sealed, and opened by the
// delivery worker just before the transport takes them (the metadata's personal
// values too, by sealJson).
import { randomUUID } from 'node:crypto';
import type { Prisma } from '../db/generated/prisma/client.js';
import type { Channel, OutboundPurpose } from '../db/generated/prisma/enums.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { PersonalDataCipher } from '../privacy/personal-data-cipher.js';

/** A message as it is scheduled; `id` and `dedupKey` are given here when absent. */
export interface ScheduledMessage {
  id?: string;
  leadId: string | null;
  purpose?: OutboundPurpose;
  channel: Channel;
  template: string;
  recipient: string;
  subject: string | null;
  body: string;
  scheduledFor: Date;
  /** What the TOUCHPOINT_SENT interaction recorded at send time belongs to and carries. */
  conversationId?: string | null;
  agent?: string | null;
  metadata?: Prisma.InputJsonValue | null;
}

export interface DeliveryJobPayload {
  messageId: string;
  /** The lead it is for (the batch key: one lead's messages are not sent concurrently), or null. */
  leadId: string | null;
}

export function deliveryJobKey(messageId: string): string {
  return `delivery:${messageId}`;
}

/** Writes the messages (SCHEDULED, sealed) and their delivery jobs as part of `tx`; returns their ids, in order. */
export async function scheduleMessages(
  tx: Prisma.TransactionClient,
  jobs: Pick<JobQueue, 'enqueue'>,
  messages: readonly ScheduledMessage[],
  cipher: PersonalDataCipher,
): Promise<string[]> {
  if (messages.length === 0) return [];
  const rows = messages.map((message) => {
    const id = message.id ?? randomUUID();
    return {
      id,
      leadId: message.leadId,
      purpose: message.purpose ?? 'TOUCHPOINT',
      channel: message.channel,
      template: message.template,
      recipient: cipher.seal(message.recipient),
      subject: cipher.sealOptional(message.subject),
      body: cipher.seal(message.body),
      scheduledFor: message.scheduledFor.toISOString(),
      conversationId: message.conversationId ?? null,
      agent: message.agent ?? null,
      metadata: message.metadata == null ? null : cipher.sealJson(message.metadata),
      dedupKey: `baton-${id}`,
    };
  });
  await tx.$executeRaw`
    INSERT INTO "OutboundMessage" ("id", "leadId", "purpose", "channel", "template", "recipient", "subject", "body", "scheduledFor",
                                   "conversationId", "agent", "metadata", "dedupKey", "status")
    SELECT m."id", m."leadId", m."purpose"::"OutboundPurpose", m."channel"::"Channel", m."template", m."recipient", m."subject", m."body",
           m."scheduledFor", m."conversationId", m."agent", m."metadata", m."dedupKey", 'SCHEDULED'
    FROM json_to_recordset(${JSON.stringify(rows)}::json)
         AS m("id" uuid, "leadId" text, "purpose" text, "channel" text, "template" text, "recipient" text, "subject" text, "body" text,
              "scheduledFor" timestamp(3), "conversationId" uuid, "agent" text, "metadata" jsonb, "dedupKey" text)`;
  await jobs.enqueue(
    tx,
    rows.map((row) => ({
      queue: 'delivery' as const,
      payload: { messageId: row.id, leadId: row.leadId } satisfies DeliveryJobPayload as unknown as Record<string, unknown>,
      key: deliveryJobKey(row.id),
      runAt: new Date(row.scheduledFor),
    })),
  );
  return rows.map((row) => row.id);
}
