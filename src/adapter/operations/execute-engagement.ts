// agent/engagement/execute and the MCP tool execute_engagement: `{ lead_data }` →
// the lead's flow (triage, the quality-gated handoff, the first touchpoint scheduled; for
// a lead with `campaign_id`, the campaign's review), with the handoff's history
// and the escalations it raised. One GraphQL operation (ExecuteEngagement.graphql).
import { z } from 'zod';
import { ExecuteEngagementDocument } from '../__generated__/operations.js';
import { defineAdapterOperation } from '../adapter-operation.js';
import { orNull } from '../shapes/fields.js';
import { RESUBMISSION, resubmitted } from '../shapes/lead-flow.js';
import { leadDataPath, leadRequestSchema, toLeadInput } from '../shapes/lead-data.js';
import { engagementResultSchema, nextActionSchema, toEngagementResult, toNextAction } from '../shapes/lead-results.js';
import { named } from '../shapes/named-shapes.js';

/**
 * Statuses and triggers are GraphQL's enum values in lower case (`completed`,
 * `escalation_required`), as in the handoff analytics. `engagement_result` is
 * null when the handoff to engagement did not complete (then `success` is false
 * and `handoff.failure_reason` says why), and while the flow is still in progress.
 */
const engagementExecutionSchema = named(
  'EngagementExecution',
  z.object({
    lead_id: z.string(),
    flow_id: z.string().describe("This submission of the lead (GET /api/v1/leads/{lead_id} follows the lead's latest)."),
    status: z
      .enum(['in_progress', 'context_requested', 'completed', 'failed', 'escalated'])
      .describe(
        'in_progress when the flow outlasted the wait (the agents go on with it); context_requested when the handoff to engagement waits for an operator to supply missing context (provide_handoff_context); then the outcome of the handoff to engagement.',
      ),
    conversation_id: orNull(z.string(), 'Null until triage opened the conversation.'),
    success: z.boolean(),
    engagement_result: engagementResultSchema.nullable(),
    next_actions: z.array(nextActionSchema),
    handoff: z
      .object({
        handoff_id: z.string(),
        status: z.string().describe('Lower case: completed, failed, escalated, …'),
        quality_score: orNull(z.number(), 'Context quality, 0-1 (0.7 is the gate); null when it was not scored.'),
        failure_reason: orNull(z.string(), 'Why the handoff did not complete; null when it did.'),
        events: z
          .array(z.object({ status: z.string(), detail: orNull(z.string(), 'What happened; null when nothing more was said.') }))
          .describe('The status history, in order.'),
      })
      .describe('The triage → engagement handoff; null until triage handed the lead over.')
      .nullable(),
    escalations: z
      .array(
        z.object({
          handoff_id: z.string(),
          trigger: z.string().describe('Lower case, e.g. escalation_required.'),
          reason: orNull(z.string(), 'Why it was escalated; null when no reason was recorded.'),
        }),
      )
      .describe('Manager escalations the flow raised (low context quality, a loop of work between agents, a KPI breach).'),
    resubmitted: resubmitted(),
  }),
);

export const executeEngagement = defineAdapterOperation({
  description:
    'Runs a lead through triage and the quality-gated handoff to the Engagement agent, which picks a channel and template from what worked for the segment, personalizes the message and schedules the first touchpoint and the follow-ups in the outbox. ' +
    'It does not send anything itself: the delivery worker sends each message when it falls due, by email over SMTP (when SMTP_URL is set), through the signed webhook (WEBHOOK_URL: SMS, LinkedIn, calls as CRM tasks), or, with neither configured, only stores it in the local mailbox (transport "mailbox": nobody receives it). ' +
    'Returns the touchpoint with its delivery_status, transport, scheduled_for and sent_at (null until sent) at the time of the answer, the handoff with its status history and any manager escalations raised; with campaign_id, the campaign is handed to optimization. ' +
    RESUBMISSION,
  jsonRpc: { method: 'agent/engagement/execute' },
  mcp: {
    name: 'execute_engagement',
    title: 'Engage a lead (triage, handoff, first touchpoint)',
    // Schedules messages the delivery worker sends to a real person when a transport is configured, outside Baton. Not idempotent:
    // a repeat within RESUBMISSION_WINDOW_SECONDS changes nothing, but one after it re-engages the lead (new touchpoints).
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    longRunning: true,
  },
  input: leadRequestSchema,
  document: ExecuteEngagementDocument,
  toVariables: (request) => ({ input: toLeadInput(request.lead_data) }),
  output: engagementExecutionSchema,
  toOutput: ({ processLead: processed }) => {
    const { handoff } = processed;
    return {
      lead_id: processed.lead.id,
      flow_id: processed.flowId,
      status: processed.status.toLowerCase() as 'in_progress' | 'context_requested' | 'completed' | 'failed' | 'escalated',
      conversation_id: processed.conversationId,
      success: processed.success,
      engagement_result: processed.engagement && toEngagementResult(processed.engagement),
      next_actions: processed.nextActions.map(toNextAction),
      handoff: handoff && {
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
      ...(processed.resubmitted ? { resubmitted: true as const } : {}),
    };
  },
  issuePath: leadDataPath,
});

const escalationContext = z.object({ escalation: z.object({ reason: z.string() }) });

/** An escalation's context packet carries `escalation: { reason, continuation, target }`. */
function escalationReason(context: unknown): string | null {
  const parsed = escalationContext.safeParse(context);
  return parsed.success ? parsed.data.escalation.reason : null;
}
