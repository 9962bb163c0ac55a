// A delivery event: what a provider tells Baton happened to a message it sent
// (a receipt: delivered, opened, clicked, bounced) or what the recipient did
// with it (replied, booked a meeting, complained, unsubscribed). Each becomes
// the Interaction of the matching type.
import type { InteractionType } from '../../db/generated/prisma/enums.js';
import type { JsonValue } from '../../memory/json.js';

export const DELIVERY_EVENT_TYPES = ['delivered', 'opened', 'clicked', 'replied', 'bounced', 'complained', 'unsubscribed', 'meeting_booked'] as const;
export type DeliveryEventType = (typeof DELIVERY_EVENT_TYPES)[number];

export const INTERACTION_TYPE_OF: Readonly<Record<DeliveryEventType, InteractionType>> = {
  delivered: 'DELIVERED',
  opened: 'EMAIL_OPEN',
  clicked: 'CLICK',
  replied: 'REPLY',
  bounced: 'BOUNCED',
  complained: 'COMPLAINED',
  unsubscribed: 'UNSUBSCRIBED',
  meeting_booked: 'MEETING_BOOKED',
};

/** Events after which the lead must not be contacted again: do-not-contact, and nothing scheduled goes out. */
export const STOP_EVENTS: ReadonlySet<DeliveryEventType> = new Set(['unsubscribed', 'complained']);

/** How the event names its message: Baton's id, the dedup key the provider saw, or the provider's own id. */
export type MessageReference = { messageId: string } | { dedupKey: string } | { providerMessageId: string };

export interface DeliveryEvent {
  /** The provider's id for the event: a replay of it changes nothing. */
  id: string;
  type: DeliveryEventType;
  message: MessageReference;
  occurredAt: Date;
  /** What the provider adds (the clicked url, the reply's text, the bounce reason); kept in the interaction's metadata. */
  detail: { [key: string]: JsonValue };
}

export interface RejectedEvent {
  /** Its position in the request. */
  index: number;
  id: string;
  reason: string;
}

export interface DeliveryEventResults {
  /** New events, recorded with their effects. */
  accepted: number;
  /** Events recorded before (the same id): nothing changed. */
  duplicates: number;
  /** Events that name no message Baton knows, or cannot be recorded; the others were recorded all the same. */
  rejected: RejectedEvent[];
}
