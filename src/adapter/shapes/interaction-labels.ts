// The specification's lower-case labels of GraphQL's Channel and InteractionType
// (`email`, `email_open`): requests name them so, results answer them so.
import type { Channel, InteractionType } from '../__generated__/operations.js';

export const CHANNEL_LABELS: Record<Channel, string> = { EMAIL: 'email', SMS: 'sms', LINKEDIN: 'linkedin', CALL: 'call' };

export const INTERACTION_TYPE_LABELS: Record<InteractionType, string> = {
  TOUCHPOINT_SENT: 'touchpoint_sent',
  DELIVERED: 'delivered',
  BOUNCED: 'bounced',
  COMPLAINED: 'complained',
  EMAIL_OPEN: 'email_open',
  CLICK: 'click',
  REPLY: 'reply',
  MEETING_BOOKED: 'meeting_booked',
  CONVERTED: 'converted',
  LOST: 'lost',
  UNSUBSCRIBED: 'unsubscribed',
};
