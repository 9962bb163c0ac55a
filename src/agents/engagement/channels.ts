// Where a planned touchpoint goes: one Channel per Channel enum value. A channel
// addresses the message (who receives it, or why the lead cannot be reached that
// way); the engagement agent schedules the addressed messages in the outbox
// (src/delivery/outbox.ts: SCHEDULED, due at the step's send time) inside the
// caller's transaction, so the decision and the messages commit together. The
// delivery worker (src/delivery/delivery-worker.ts) sends each when it falls
// due, through SMTP, the signed webhook (SMS, LinkedIn, calls as CRM tasks) or
// the local mailbox, and marks it SENT.
import { randomUUID } from 'node:crypto';
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
}

export interface Channel {
  readonly kind: ChannelKind;
  /** The message as the outbox keeps it; throws UnreachableError when the lead cannot be reached on this channel. */
  address(message: OutboundDraft): OutboundMessageRow;
}

/** An addressed message, as the outbox schedules it. */
export interface OutboundMessageRow {
  id: string;
  leadId: string;
  channel: ChannelKind;
  template: string;
  recipient: string;
  subject: string | null;
  body: string;
  scheduledFor: Date;
}

export class UnreachableError extends Error {
  override name = 'UnreachableError';
}

/** A channel whose delivery is an outbox row addressed to `recipientOf(contact)`. */
function outboxChannel(kind: ChannelKind, recipientOf: (contact: ContactPoints) => string | null): Channel {
  return {
    kind,
    address({ leadId, contact, touchpoint }) {
      if (touchpoint.channel !== kind) throw new TypeError(`the ${kind} channel cannot deliver a ${touchpoint.channel} touchpoint`);
      const recipient = recipientOf(contact);
      if (!recipient) throw new UnreachableError(`lead ${leadId} cannot be reached by ${kind}`);
      return {
        id: randomUUID(),
        leadId,
        channel: kind,
        template: touchpoint.template,
        recipient,
        subject: touchpoint.subject,
        body: touchpoint.body,
        scheduledFor: touchpoint.sendAt,
      };
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
