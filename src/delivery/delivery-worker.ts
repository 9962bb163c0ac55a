// The delivery worker: takes a `delivery` job when its message falls due and
// sends the message through its transport (./transports/transport-selection.ts).
//
//   1. claim (one transaction, the row locked): a message no longer SCHEDULED or
//      SENDING is left alone (already sent, cancelled, suppressed: the job is a
//      repeat); a lead who is now do-not-contact or withdrew consent gets
//      nothing (SUPPRESSED, the reason in lastError); otherwise SENDING,
//      attempts + 1, committed before anything leaves.
//   2. send, outside any transaction (a provider may take seconds; the embedded
//      database has one connection).
//   3. record: SENT with the transport, the provider's id and sentAt, and for a
//      touchpoint the TOUCHPOINT_SENT interaction, dated now (sends are recorded
//      when they happen, never when planned) and carrying what the engagement
//      decision put on the message (arm, segment, seed). A transient failure goes
//      back to SCHEDULED, due after an exponential backoff with full jitter, its
//      job re-armed under the same key, until DELIVERY_MAX_ATTEMPTS; a permanent
//      one, or the last try, is FAILED with the error.
//
// At most once per touchpoint, as far as the provider can tell: every try of a
// message carries its dedup key (the SMTP Message-ID, the webhook's
// Idempotency-Key), so a retry after a crash in SENDING is dropped by a provider
// that already took it.
//
// The outbox stores recipient, subject and body sealed: they are opened here, in
// memory, for the transport alone; the interaction copies them sealed.
import type { DeliveryConfig } from '../config.js';
import type { Prisma, PrismaClient } from '../db/generated/prisma/client.js';
import type { DeliveryTransport as TransportKind, OutboundStatus } from '../db/generated/prisma/enums.js';
import { contactPolicy } from '../agents/engagement/contact-policy.js';
import type { JobHandler, JobQueue } from '../jobs/job-queue.js';
import type { PersonalDataCipher } from '../privacy/personal-data-cipher.js';
import { deliveryJobKey, type DeliveryJobPayload } from './outbox.js';
import { asDeliveryError, type OutgoingMessage } from './transports/delivery-transport.js';
import type { DeliveryTransports } from './transports/transport-selection.js';

/** Told each message's outcome: SENT, FAILED, SUPPRESSED, or SCHEDULED (a transient failure, to be retried). */
export type DeliveryObserver = (outcome: { status: OutboundStatus; transport: TransportKind | null }) => void;

export interface DeliveryWorkerDependencies {
  prisma: PrismaClient;
  jobs: JobQueue;
  transports: DeliveryTransports;
  /** Opens the message for its transport; seals what the send records. */
  cipher: PersonalDataCipher;
  retry: Pick<DeliveryConfig, 'maxAttempts' | 'backoffMs' | 'backoffMaxMs'>;
  observe?: DeliveryObserver;
  now?: () => Date;
  /** [0, 1): the jitter. */
  random?: () => number;
}

/** A message due later than this after its job ran is put back to wait (a job that ran early: its run time moved). */
const EARLY_TOLERANCE_MS = 1_000;

type Claim = { kind: 'send'; message: OutgoingMessage } | { kind: 'done' };

export function createDeliveryWorker(deps: DeliveryWorkerDependencies): JobHandler {
  const now = deps.now ?? (() => new Date());
  const random = deps.random ?? Math.random;
  const observe = deps.observe ?? (() => {});

  async function claim(messageId: string): Promise<Claim> {
    return deps.prisma.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "OutboundMessage" WHERE "id" = ${messageId}::uuid FOR UPDATE`;
      if (locked.length === 0) return { kind: 'done' };
      const message = await tx.outboundMessage.findUniqueOrThrow({ where: { id: messageId } });
      if (message.status !== 'SCHEDULED' && message.status !== 'SENDING') return { kind: 'done' };
      const at = now();
      if (message.status === 'SCHEDULED' && message.scheduledFor.getTime() > at.getTime() + EARLY_TOLERANCE_MS) {
        await rearm(tx, message.id, message.leadId, message.scheduledFor);
        return { kind: 'done' };
      }
      const suppressed = message.leadId && message.purpose === 'TOUCHPOINT' ? await suppressionReason(tx, message.leadId, at) : null;
      if (suppressed) {
        await tx.outboundMessage.update({ where: { id: message.id }, data: { status: 'SUPPRESSED', lastError: deps.cipher.seal(suppressed) } });
        observe({ status: 'SUPPRESSED', transport: null });
        return { kind: 'done' };
      }
      const claimed = await tx.outboundMessage.update({
        where: { id: message.id },
        data: { status: 'SENDING', attempts: { increment: 1 }, lastAttemptAt: at },
      });
      return {
        kind: 'send',
        message: {
          id: claimed.id,
          leadId: claimed.leadId,
          purpose: claimed.purpose,
          channel: claimed.channel,
          template: claimed.template,
          recipient: deps.cipher.open(claimed.recipient),
          subject: deps.cipher.openOptional(claimed.subject),
          body: deps.cipher.open(claimed.body),
          scheduledFor: claimed.scheduledFor,
          dedupKey: claimed.dedupKey,
          attempt: claimed.attempts,
        },
      };
    });
  }

  async function rearm(tx: Prisma.TransactionClient, messageId: string, leadId: string | null, runAt: Date): Promise<void> {
    await deps.jobs.enqueue(tx, [
      {
        queue: 'delivery',
        payload: { messageId, leadId } satisfies DeliveryJobPayload as unknown as Record<string, unknown>,
        key: deliveryJobKey(messageId),
        runAt,
      },
    ]);
  }

  async function recordSent(message: OutgoingMessage, transport: TransportKind, providerMessageId: string): Promise<void> {
    await deps.prisma.$transaction(async (tx) => {
      const sentAt = now();
      const row = await tx.outboundMessage.findUnique({ where: { id: message.id } });
      if (row?.status !== 'SENDING') return;
      let interactionId: string | null = null;
      if (row.purpose === 'TOUCHPOINT' && row.leadId) {
        // The interaction takes the message's id: the touchpoint id engagement answered names it once sent.
        interactionId = row.id;
        const carried = row.metadata && typeof row.metadata === 'object' && !Array.isArray(row.metadata) ? row.metadata : {};
        await tx.interaction.create({
          data: {
            id: interactionId,
            leadId: row.leadId,
            conversationId: row.conversationId,
            type: 'TOUCHPOINT_SENT',
            channel: row.channel,
            agent: row.agent,
            template: row.template,
            // Sealed already (seal leaves a sealed value as it is; a row from before encryption is sealed now).
            subject: deps.cipher.sealOptional(row.subject),
            body: deps.cipher.sealOptional(row.body),
            occurredAt: sentAt,
            metadata: deps.cipher.sealJson({ ...carried, delivery: { messageId: row.id, transport, providerMessageId } }) as Prisma.InputJsonValue,
          },
        });
      }
      await tx.outboundMessage.update({
        where: { id: row.id },
        data: { status: 'SENT', sentAt, transport, providerMessageId, lastError: null, interactionId },
      });
    });
    observe({ status: 'SENT', transport });
  }

  async function recordFailure(message: OutgoingMessage, transport: TransportKind, error: unknown): Promise<void> {
    const failure = asDeliveryError(error);
    const retry = failure.transient && message.attempt < deps.retry.maxAttempts;
    const status: OutboundStatus = retry ? 'SCHEDULED' : 'FAILED';
    // A provider's refusal may quote the address: sealed, like every lastError.
    const lastError = deps.cipher.seal(retry || !failure.transient ? failure.message : `gave up after ${message.attempt} attempts: ${failure.message}`);
    await deps.prisma.$transaction(async (tx) => {
      const row = await tx.outboundMessage.findUnique({ where: { id: message.id }, select: { status: true } });
      if (row?.status !== 'SENDING') return;
      const scheduledFor = retry ? new Date(now().getTime() + backoffMs(message.attempt)) : undefined;
      await tx.outboundMessage.update({ where: { id: message.id }, data: { status, lastError, transport, ...(scheduledFor ? { scheduledFor } : {}) } });
      if (scheduledFor) await rearm(tx, message.id, message.leadId, scheduledFor);
    });
    observe({ status, transport });
  }

  /** Full jitter: uniform in [0, min(ceiling, base · 2^(attempt − 1))). */
  function backoffMs(attempt: number): number {
    const ceiling = Math.min(deps.retry.backoffMaxMs, deps.retry.backoffMs * 2 ** (attempt - 1));
    return Math.floor(random() * ceiling);
  }

  return async (payload) => {
    const { messageId } = payload as unknown as DeliveryJobPayload;
    if (typeof messageId !== 'string') throw new TypeError('a delivery job carries a messageId');
    const claimed = await claim(messageId);
    if (claimed.kind === 'done') return;
    const transport = deps.transports.forChannel(claimed.message.channel);
    let receipt: { providerMessageId: string };
    try {
      receipt = await transport.send(claimed.message);
    } catch (error) {
      await recordFailure(claimed.message, transport.kind, error);
      return;
    }
    await recordSent(claimed.message, transport.kind, receipt.providerMessageId);
  };
}

/** Why the lead may no longer be contacted (consent withdrawn, do not contact), or null. The frequency cap was applied when the message was planned. */
async function suppressionReason(tx: Prisma.TransactionClient, leadId: string, at: Date): Promise<string | null> {
  const profile = await tx.leadProfile.findUnique({ where: { leadId }, select: { consent: true, doNotContact: true } });
  const unsubscribed = await tx.interaction.findFirst({
    where: { leadId, type: 'UNSUBSCRIBED' },
    orderBy: { occurredAt: 'asc' },
    select: { occurredAt: true },
  });
  const decision = contactPolicy(profile, { touches: [], unsubscribedAt: unsubscribed?.occurredAt ?? null }, at);
  return decision.allowed ? null : (decision.reason ?? 'Contact not allowed.');
}
