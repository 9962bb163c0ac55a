// A lead's flow in the REST API's vocabulary: what POST /api/v1/leads answers
// once the flow settled (the specification's LeadProcessingResponse), and what
// it answers while the agents still work on it (202 Accepted) and
// GET /api/v1/leads/{lead_id} always answers (LeadFlow).
import { z } from 'zod';
import type { LeadFlowFieldsFragment } from '../__generated__/operations.js';
import { count, orNull } from './fields.js';
import { engagementResultSchema, nextActionSchema, toEngagementResult, toNextAction, toTriageResult, triageResultSchema } from './lead-results.js';
import { named } from './named-shapes.js';

/** The quality gate's score, or null: a handoff that ended before the gate (a loop escalated) was never scored. */
const handoffQuality = () =>
  orNull(
    z.number().min(0).max(1),
    'Context quality of the triage → engagement handoff, 0-1 (0.7 is the gate); null when nothing was scored: while triage has not handed the lead over, and when the handoff ended before the gate (a loop escalated to a manager).',
  );

/** What sending a lead again does, as the doors that start a flow say it. */
export const RESUBMISSION =
  'Sending the same lead_id with the same lead_data (a field left out counts as its stored value) again within RESUBMISSION_WINDOW_SECONDS (a day by default) of its latest flow answers that flow with `resubmitted: true` and runs nothing again: no second triage, no second touchpoint. ' +
  'Later, with changed lead_data, or after a flow that failed, it is a re-engagement: a new flow, which may send a new touchpoint. Sending a lead again is never treated as a loop and raises no escalation.';

/** Present only on a re-submission's answer, so a first submission's answer keeps the specification's fields. */
export const resubmitted = () =>
  z
    .literal(true)
    .optional()
    .describe(
      'Present, true, when the same lead with the same data was sent again within RESUBMISSION_WINDOW_SECONDS (a day by default) of its latest flow (not one that failed): ' +
        'this answer is that earlier flow, and nothing ran again (no new triage, no new touchpoint, no escalation). ' +
        'Later, with changed data, or after a failed flow, the lead is re-engaged: a new flow, and no `resubmitted`.',
    );

/** The specification's LeadProcessingResponse; `failure_reason` only when `success` is false. */
export const leadProcessingResponseSchema = named(
  'LeadProcessingResponse',
  z.object({
    lead_id: z.string(),
    conversation_id: z.string(),
    success: z.boolean().describe('False when the handoff to engagement failed its quality gate (see failure_reason).'),
    triage_result: triageResultSchema,
    engagement_result: engagementResultSchema.nullable(),
    handoff_quality: handoffQuality(),
    processing_time_ms: count(),
    next_actions: z.array(nextActionSchema),
    failure_reason: orNull(z.string(), 'Why the handoff did not complete (null if no reason was recorded).').optional(),
    resubmitted: resubmitted(),
  }),
);

const FLOW_STATUSES = ['in_progress', 'context_requested', 'completed', 'failed', 'escalated'] as const;

export const leadFlowSchema = named(
  'LeadFlow',
  z
    .object({
      lead_id: z.string(),
      flow_id: z.string().describe('This submission of the lead; every handoff it led to carries it.'),
      status: z
        .enum(FLOW_STATUSES)
        .describe(
          'in_progress while an agent still works on the flow; context_requested while the handoff to engagement waits for an operator to supply context its quality gate missed (POST /api/v1/handoffs/{handoff_id}/context); then the outcome of the handoff to engagement: completed, failed, or escalated to a manager.',
        ),
      conversation_id: orNull(z.string(), 'Null until triage opened the conversation.'),
      success: z.boolean().describe('True once the handoff to engagement passed its quality gate and engagement ran.'),
      triage_result: orNull(triageResultSchema, 'Null until the triage agent scored the lead.'),
      engagement_result: engagementResultSchema.nullable(),
      handoff_quality: handoffQuality(),
      processing_time_ms: count().describe('From submission to the end of the flow, or to now while it is in progress.'),
      next_actions: z.array(nextActionSchema),
      handoff_ids: z
        .array(z.string())
        .describe("The flow's handoffs so far, oldest first: triage → engagement, engagement → optimization, manager escalations (GET /graphql: handoff(id))."),
      failure_reason: orNull(
        z.string(),
        'Why the handoff to engagement did not complete, or (context_requested) what it waits for; null while in progress or when it did.',
      ),
      resubmitted: resubmitted(),
    })
    .describe("A lead's flow, as it stands: settled, or still running on the agents' workers."),
);

export type LeadProcessingResponse = z.infer<typeof leadProcessingResponseSchema>;
export type LeadFlow = z.infer<typeof leadFlowSchema>;

export function toLeadFlow(flow: LeadFlowFieldsFragment): LeadFlow {
  return {
    lead_id: flow.lead.id,
    flow_id: flow.flowId,
    status: flow.status.toLowerCase() as LeadFlow['status'],
    conversation_id: flow.conversationId,
    success: flow.success,
    triage_result: flow.triage && toTriageResult(flow.lead.id, flow.triage),
    engagement_result: flow.engagement && toEngagementResult(flow.engagement),
    handoff_quality: flow.handoffQuality,
    processing_time_ms: flow.processingTimeMs,
    next_actions: flow.nextActions.map(toNextAction),
    handoff_ids: [flow.handoff, flow.optimizationHandoff, ...flow.escalations].flatMap((handoff) => (handoff ? [handoff.id] : [])),
    failure_reason: flow.handoff?.failureReason ?? null,
    ...(flow.resubmitted ? { resubmitted: true as const } : {}),
  };
}

/** The settled flow as the specification's LeadProcessingResponse; null while it is in progress (triage not done yet). */
export function toLeadProcessingResponse(flow: LeadFlowFieldsFragment): LeadProcessingResponse | null {
  if (flow.status === 'IN_PROGRESS' || !flow.triage || !flow.conversationId) return null;
  return {
    lead_id: flow.lead.id,
    conversation_id: flow.conversationId,
    success: flow.success,
    triage_result: toTriageResult(flow.lead.id, flow.triage),
    engagement_result: flow.engagement && toEngagementResult(flow.engagement),
    handoff_quality: flow.handoffQuality,
    processing_time_ms: flow.processingTimeMs,
    next_actions: flow.nextActions.map(toNextAction),
    ...(flow.success ? {} : { failure_reason: flow.handoff?.failureReason ?? null }),
    ...(flow.resubmitted ? { resubmitted: true as const } : {}),
  };
}

/** Where a caller follows a lead's flow: GET /api/v1/leads/{lead_id}. */
export function leadLocation(leadId: string): string {
  return `/api/v1/leads/${encodeURIComponent(leadId)}`;
}
