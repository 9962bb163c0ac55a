// GraphQL results → the specification's TriageResult, and the engagement parts
// of a lead's flow (the first touchpoint, the next actions) that
// POST /api/v1/leads and agent/engagement/execute both answer.
import { z } from 'zod';
import { TRIAGE_CATEGORY_LABELS } from '../../domain/labels.js';
import type { EngagementResultFieldsFragment, NextActionFieldsFragment, TriageFieldsFragment } from '../__generated__/operations.js';
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

/** The first touchpoint the Engagement agent sent. */
export const engagementResultSchema = named(
  'EngagementResult',
  z
    .object({
      agent: z.string(),
      touchpoint_id: z.string().describe('The interaction recording the touchpoint.'),
      channel,
      template: z.string(),
      subject: orNull(z.string(), 'The subject line; null on channels without one.'),
      body: z.string(),
      sent_at: dateTime(),
    })
    .describe('The first touchpoint the Engagement agent sent.'),
);

export function toEngagementResult(engagement: EngagementResultFieldsFragment): z.infer<typeof engagementResultSchema> {
  return {
    agent: engagement.agent,
    touchpoint_id: engagement.touchpointId,
    channel: CHANNEL_LABELS[engagement.channel],
    template: engagement.template,
    subject: engagement.subject,
    body: engagement.body,
    sent_at: engagement.sentAt,
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
