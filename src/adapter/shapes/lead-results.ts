// GraphQL results → the specification's TriageResult, and the engagement parts
// of a lead's flow (the first touchpoint, the next actions) that
// POST /api/v1/leads and agent/engagement/execute both answer.
import { z } from 'zod';
import { TRIAGE_CATEGORY_LABELS } from '../../domain/labels.js';
import type {
  DeliveryTransport,
  EngagementResultFieldsFragment,
  NextActionFieldsFragment,
  OutboundStatus,
  TriageFieldsFragment,
} from '../__generated__/operations.js';
import { dateTime, oneOfLabels, orNull } from './fields.js';
import { CHANNEL_LABELS } from './interaction-labels.js';
import { named } from './named-shapes.js';

/** The specification's TriageResult. */
export const triageResultSchema = named(
  'TriageResult',
  z.object({
    lead_id: z.string(),
    triage_category: oneOfLabels(TRIAGE_CATEGORY_LABELS),
    lead_score: z.int().min(0).max(100).describe('0-100: the estimated chance of conversion, in percent.'),
    assigned_agent: z.string().describe('The agent the lead was handed to.'),
    confidence: z.number().min(0).max(1).describe('How sure triage is of the category, 0-1.'),
    reasoning: z.string().describe('The factors that moved the score, in words.'),
  }),
);

export function toTriageResult(leadId: string, triage: TriageFieldsFragment): z.infer<typeof triageResultSchema> {
  return {
    lead_id: leadId,
    triage_category: TRIAGE_CATEGORY_LABELS[triage.category],
    lead_score: triage.score,
    assigned_agent: triage.assignedAgent,
    confidence: triage.confidence,
    reasoning: triage.reasoning,
  };
}

const channel = oneOfLabels(CHANNEL_LABELS).describe('email, sms, linkedin or call.');

const DELIVERY_STATUS_LABELS = {
  SCHEDULED: 'scheduled',
  SENDING: 'sending',
  SENT: 'sent',
  FAILED: 'failed',
  BOUNCED: 'bounced',
  SUPPRESSED: 'suppressed',
  CANCELLED: 'cancelled',
} as const satisfies Record<OutboundStatus, string>;
const TRANSPORT_LABELS = { SMTP: 'smtp', WEBHOOK: 'webhook', MAILBOX: 'mailbox' } as const satisfies Record<DeliveryTransport, string>;

/** The first touchpoint the Engagement agent planned and scheduled, with how far its delivery got. */
export const engagementResultSchema = named(
  'EngagementResult',
  z
    .object({
      agent: z.string(),
      touchpoint_id: z.string().describe('The outbox message of the touchpoint, and the touchpoint_sent interaction that records it once sent (the same id).'),
      channel,
      template: z.string(),
      subject: orNull(z.string(), 'The subject line; null on channels without one.'),
      body: z.string(),
      sent_at: orNull(dateTime(), 'When the delivery worker sent it (delivery_status sent); null until then.'),
      scheduled_for: dateTime().describe('When it is due: now, or later when the frequency cap (or a retry after a transient failure) moved it.'),
      delivery_status: orNull(
        oneOfLabels(DELIVERY_STATUS_LABELS),
        'scheduled, sending, sent, failed, bounced, suppressed (consent withdrawn or do-not-contact) or cancelled; null only when the message is gone.',
      ),
      transport: orNull(
        oneOfLabels(TRANSPORT_LABELS),
        'smtp, webhook, or mailbox: no transport configured, so the message was only stored in the local mailbox, not sent to anyone; null before any try.',
      ),
    })
    .describe(
      'The first touchpoint the Engagement agent planned and scheduled. The delivery worker sends it when due, through SMTP, the signed webhook, or the local mailbox (stored, not sent) when neither is configured.',
    ),
);

export function toEngagementResult(engagement: EngagementResultFieldsFragment): z.infer<typeof engagementResultSchema> {
  return {
    agent: engagement.agent,
    touchpoint_id: engagement.touchpointId,
    channel: CHANNEL_LABELS[engagement.channel],
    template: engagement.template,
    subject: engagement.subject,
    body: engagement.body,
    sent_at: engagement.sentAt ?? null,
    scheduled_for: engagement.scheduledFor,
    delivery_status: engagement.deliveryStatus ? DELIVERY_STATUS_LABELS[engagement.deliveryStatus] : null,
    transport: engagement.transport ? TRANSPORT_LABELS[engagement.transport] : null,
  };
}

export const nextActionSchema = named('NextAction', z.object({ action: z.string(), agent: z.string(), channel, due_at: dateTime(), description: z.string() }));

export function toNextAction(action: NextActionFieldsFragment): z.infer<typeof nextActionSchema> {
  return {
    action: action.action,
    agent: action.agent,
    channel: CHANNEL_LABELS[action.channel],
    due_at: action.dueAt,
    description: action.description,
  };
}
