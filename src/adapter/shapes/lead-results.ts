// GraphQL results → the specification's TriageResult and LeadProcessingResponse,
// and the result of agent/engagement/execute.
import { z } from 'zod';
import { TRIAGE_CATEGORY_LABELS } from '../../domain/labels.js';
import type {
  EngagementResultFieldsFragment,
  ExecuteEngagementMutation,
  NextActionFieldsFragment,
  ProcessLeadMutation,
  TriageFieldsFragment,
} from '../__generated__/operations.js';
import { CHANNEL_LABELS } from './interaction.js';
import { array, boolean, count, dateTime, integer, nullable, number, object, oneOfStrings, string } from './json-schema.js';

export interface TriageResultShape {
  lead_id: string;
  triage_category: string;
  lead_score: number;
  assigned_agent: string;
  confidence: number;
  reasoning: string;
}

export function toTriageResult(leadId: string, triage: TriageFieldsFragment): TriageResultShape {
  return {
    lead_id: leadId,
    triage_category: TRIAGE_CATEGORY_LABELS[triage.category],
    lead_score: triage.score,
    assigned_agent: triage.assignedAgent,
    confidence: triage.confidence,
    reasoning: triage.reasoning,
  };
}

/** The first touchpoint the Engagement agent sent. */
export interface EngagementResultShape {
  agent: string;
  touchpoint_id: string;
  /** email, sms, linkedin or call. */
  channel: string;
  template: string;
  subject: string | null;
  body: string;
  /** ISO 8601. */
  sent_at: string;
}

export interface NextActionShape {
  action: string;
  agent: string;
  channel: string;
  /** ISO 8601. */
  due_at: string;
  description: string;
}

export function toEngagementResult(engagement: EngagementResultFieldsFragment): EngagementResultShape {
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

export function toNextAction(action: NextActionFieldsFragment): NextActionShape {
  return {
    action: action.action,
    agent: action.agent,
    channel: CHANNEL_LABELS[action.channel],
    due_at: action.dueAt,
    description: action.description,
  };
}

type Processed = ProcessLeadMutation['processLead'];

export function toLeadProcessingResponse(processed: Processed) {
  return {
    lead_id: processed.lead.id,
    conversation_id: processed.conversationId,
    success: processed.success,
    triage_result: toTriageResult(processed.lead.id, processed.triage),
    engagement_result: processed.engagement && toEngagementResult(processed.engagement),
    handoff_quality: processed.handoffQuality,
    processing_time_ms: processed.processingTimeMs,
    next_actions: processed.nextActions.map(toNextAction),
    ...(processed.success ? {} : { failure_reason: processed.handoff.failureReason }),
  };
}

/**
 * agent/engagement/execute result. Statuses and triggers are GraphQL's enum
 * values in lower case (`completed`, `escalation_required`), as in the
 * handoff analytics. `engagement_result` is null when the handoff to engagement
 * did not complete (then `success` is false and `failure_reason` says why).
 */
export interface EngagementExecutionShape {
  lead_id: string;
  conversation_id: string;
  success: boolean;
  engagement_result: EngagementResultShape | null;
  next_actions: NextActionShape[];
  /** The triage → engagement handoff. */
  handoff: {
    handoff_id: string;
    status: string;
    /** Context quality, 0-1 (0.7 is the gate); null when it was not scored. */
    quality_score: number | null;
    /** Why the handoff did not complete; null when it did. */
    failure_reason: string | null;
    /** The status history, in order. */
    events: { status: string; detail: string | null }[];
  };
  /** Manager escalations the flow raised (low context quality, a loop, a KPI breach). */
  escalations: { handoff_id: string; trigger: string; reason: string | null }[];
}

export function toEngagementExecution(processed: ExecuteEngagementMutation['processLead']): EngagementExecutionShape {
  const { handoff } = processed;
  return {
    lead_id: processed.lead.id,
    conversation_id: processed.conversationId,
    success: processed.success,
    engagement_result: processed.engagement && toEngagementResult(processed.engagement),
    next_actions: processed.nextActions.map(toNextAction),
    handoff: {
      handoff_id: handoff.id,
      status: handoff.status.toLowerCase(),
      quality_score: handoff.qualityScore,
      failure_reason: handoff.failureReason,
      events: handoff.events.map((event) => ({ status: event.status.toLowerCase(), detail: event.detail })),
    },
    escalations: processed.escalations.map((escalation) => ({
      handoff_id: escalation.id,
      trigger: escalation.trigger.toLowerCase(),
      reason: escalationReason(escalation.context) ?? escalation.failureReason,
    })),
  };
}

const escalationContext = z.object({ escalation: z.object({ reason: z.string() }) });

/** An escalation's context packet carries `escalation: { reason, continuation, target }`. */
function escalationReason(context: unknown): string | null {
  const parsed = escalationContext.safeParse(context);
  return parsed.success ? parsed.data.escalation.reason : null;
}

// ---------------------------------------------------------------- result schemas

const channel = oneOfStrings(Object.values(CHANNEL_LABELS), 'email, sms, linkedin or call.');

/** The specification's TriageResult. */
export const TRIAGE_RESULT_JSON_SCHEMA = object(
  {
    lead_id: string(),
    triage_category: oneOfStrings(Object.values(TRIAGE_CATEGORY_LABELS)),
    lead_score: { ...integer('0-100: the estimated chance of conversion, in percent.'), minimum: 0, maximum: 100 },
    assigned_agent: string('The agent the lead was handed to.'),
    confidence: { ...number('How sure triage is of the category, 0-1.'), minimum: 0, maximum: 1 },
    reasoning: string('The factors that moved the score, in words.'),
  },
  { title: 'TriageResult' },
);

const ENGAGEMENT_RESULT_JSON_SCHEMA = object(
  {
    agent: string(),
    touchpoint_id: string('The interaction recording the touchpoint.'),
    channel,
    template: string(),
    subject: nullable(string()),
    body: string(),
    sent_at: dateTime(),
  },
  { title: 'EngagementResult', description: 'The first touchpoint the Engagement agent sent.' },
);

const NEXT_ACTION_JSON_SCHEMA = object({ action: string(), agent: string(), channel, due_at: dateTime(), description: string() }, { title: 'NextAction' });

/** The specification's LeadProcessingResponse; `failure_reason` only when `success` is false. */
export const LEAD_PROCESSING_RESPONSE_JSON_SCHEMA = object(
  {
    lead_id: string(),
    conversation_id: string(),
    success: boolean('False when the handoff to engagement failed its quality gate (see failure_reason).'),
    triage_result: TRIAGE_RESULT_JSON_SCHEMA,
    engagement_result: nullable(ENGAGEMENT_RESULT_JSON_SCHEMA),
    handoff_quality: { ...number('Context quality of the triage → engagement handoff, 0-1; 0.7 is the gate.'), minimum: 0, maximum: 1 },
    processing_time_ms: count(),
    next_actions: array(NEXT_ACTION_JSON_SCHEMA),
    failure_reason: string('Why the handoff did not complete.'),
  },
  { title: 'LeadProcessingResponse', optional: ['failure_reason'] },
);

/** agent/engagement/execute's result (EngagementExecutionShape). */
export const ENGAGEMENT_EXECUTION_JSON_SCHEMA = object(
  {
    lead_id: string(),
    conversation_id: string(),
    success: boolean(),
    engagement_result: nullable(ENGAGEMENT_RESULT_JSON_SCHEMA),
    next_actions: array(NEXT_ACTION_JSON_SCHEMA),
    handoff: object(
      {
        handoff_id: string(),
        status: string('Lower case: completed, failed, escalated, …'),
        quality_score: nullable(number('Context quality, 0-1 (0.7 is the gate); null when it was not scored.')),
        failure_reason: nullable(string()),
        events: array(object({ status: string(), detail: nullable(string()) }), 'The status history, in order.'),
      },
      { description: 'The triage → engagement handoff.' },
    ),
    escalations: array(
      object({ handoff_id: string(), trigger: string('Lower case, e.g. escalation_required.'), reason: nullable(string()) }),
      'Manager escalations the flow raised (low context quality, a loop, a KPI breach).',
    ),
  },
  { title: 'EngagementExecution' },
);
