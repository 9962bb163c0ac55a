// Where a planned touchpoint goes: one Channel per Channel enum value. Each one
// "delivers" by writing the message to the outbox ("OutboundMessage", PENDING,
// scheduledFor = the step's send time) inside the caller's transaction, so the
// decision and the message commit together; a sender process (a real email, SMS
// or LinkedIn integration, or a sales rep's task list for calls) delivers what
// is due and marks it SENT. Swapping one in means replacing its entry in CHANNELS.
import { randomUUID } from 'node:crypto';
import type { Prisma } from '../../db/generated/prisma/client.js';
import type { Channel as ChannelKind } from '../../db/generated/prisma/enums.js';
import { INDUSTRY_LABELS, PERSONA_LABELS } from '../../domain/labels.js';
import type { LeadInput } from '../../domain/lead.js';
import type { Personalization } from './message.js';
import type { PlannedTouchpoint } from './plan.js';

/** How the lead can be reached. */
export interface ContactPoints {
  email: string | null;
  phone: string | null;
  /** What to type into LinkedIn's search to find the lead. */
  linkedInSearch: string;
}

export interface OutboundDraft {
  leadId: string;
  contact: ContactPoints;
  touchpoint: Pick<PlannedTouchpoint, 'channel' | 'template' | 'subject' | 'body' | 'sendAt'>;
  /** The TOUCHPOINT_SENT interaction recorded for it (the first step), if any. */
  interactionId?: string | null;
}

export interface Channel {
  readonly kind: ChannelKind;
  /** Queues the message for delivery; throws when the lead cannot be reached on this channel. */
  deliver(tx: Prisma.TransactionClient, message: OutboundDraft): Promise<{ outboxId: string }>;
}

export class UnreachableError extends Error {
  override name = 'UnreachableError';
}

/** A channel whose delivery is an outbox row addressed to `recipientOf(contact)`. */
function outboxChannel(kind: ChannelKind, recipientOf: (contact: ContactPoints) => string | null): Channel {
  return {
    kind,
    async deliver(tx, { leadId, contact, touchpoint, interactionId }) {
      if (touchpoint.channel !== kind) throw new TypeError(`the ${kind} channel cannot deliver a ${touchpoint.channel} touchpoint`);
      const recipient = recipientOf(contact);
      if (!recipient) throw new UnreachableError(`lead ${leadId} cannot be reached by ${kind}`);
      const id = randomUUID();
      await tx.outboundMessage.create({
        data: {
          id,
          leadId,
          interactionId: interactionId ?? null,
          channel: kind,
          template: touchpoint.template,
          recipient,
          subject: touchpoint.subject,
          body: touchpoint.body,
          scheduledFor: touchpoint.sendAt,
          status: 'PENDING',
        },
        select: { id: true },
      });
      return { outboxId: id };
    },
  };
}

export const emailChannel = outboxChannel('EMAIL', (contact) => contact.email);
export const smsChannel = outboxChannel('SMS', (contact) => contact.phone);
/** A call is a task for a person: the recipient is the number to dial, the body the call script. */
export const callChannel = outboxChannel('CALL', (contact) => contact.phone);
/** LinkedIn has no address: the recipient is a search that finds the lead. */
export const linkedInChannel = outboxChannel('LINKEDIN', (contact) => contact.linkedInSearch);

export const CHANNELS: Readonly<Record<ChannelKind, Channel>> = {
  EMAIL: emailChannel,
  SMS: smsChannel,
  CALL: callChannel,
  LINKEDIN: linkedInChannel,
};

export function contactPoints(lead: Pick<LeadInput, 'industry' | 'persona' | 'email' | 'phone'>, person: Personalization): ContactPoints {
  return { email: lead.email || null, phone: lead.phone || null, linkedInSearch: linkedInSearch(lead, person) };
}

/**
 * `"Jane Doe" Acme Corp VP Sales` when the name is known; otherwise who to look
 * for: `Decision Maker, Technology, Acme Corp`.
 */
export function linkedInSearch(lead: Pick<LeadInput, 'industry' | 'persona'>, person: Personalization): string {
  const name = [person.firstName, person.lastName].filter(Boolean).join(' ');
  if (name) return [`"${name}"`, person.company, person.title].filter(Boolean).join(' ');
  return [lead.persona ? PERSONA_LABELS[lead.persona] : null, INDUSTRY_LABELS[lead.industry], person.company, person.title].filter(Boolean).join(', ');
}
