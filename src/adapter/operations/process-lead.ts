// POST /api/v1/leads: the specification's LeadProcessingRequest → LeadProcessingResponse,
// one GraphQL operation (ProcessLead.graphql).
import { z } from 'zod';
import { ProcessLeadDocument } from '../__generated__/operations.js';
import { defineAdapterOperation } from '../adapter-operation.js';
import { count, orNull } from '../shapes/fields.js';
import { leadDataPath, leadRequestSchema, toLeadInput } from '../shapes/lead-data.js';
import { engagementResultSchema, nextActionSchema, toEngagementResult, toNextAction, toTriageResult, triageResultSchema } from '../shapes/lead-results.js';
import { named } from '../shapes/named-shapes.js';

/** The specification's LeadProcessingResponse; `failure_reason` only when `success` is false. */
const leadProcessingResponseSchema = named(
  'LeadProcessingResponse',
  z.object({
    lead_id: z.string(),
    conversation_id: z.string(),
    success: z.boolean().describe('False when the handoff to engagement failed its quality gate (see failure_reason).'),
    triage_result: triageResultSchema,
    engagement_result: engagementResultSchema.nullable(),
    handoff_quality: z.number().min(0).max(1).describe('Context quality of the triage → engagement handoff, 0-1; 0.7 is the gate.'),
    processing_time_ms: count(),
    next_actions: z.array(nextActionSchema),
    failure_reason: orNull(z.string(), 'Why the handoff did not complete (null if no reason was recorded).').optional(),
  }),
);

export const processLead = defineAdapterOperation({
  description:
    "Runs a lead through the whole flow: triage (category, 0-100 score, confidence, reasoning), the quality-gated handoff to engagement and the first touchpoint; with campaign_id, the campaign's review by optimization.",
  rest: {
    method: 'POST',
    path: '/api/v1/leads',
    summary: 'Process a new lead through the complete agent workflow',
    idempotent: true,
    failures: { 400: 'Invalid lead data', 403: 'The role may not process leads' },
  },
  input: leadRequestSchema,
  document: ProcessLeadDocument,
  toVariables: (request) => ({ input: toLeadInput(request.lead_data) }),
  output: leadProcessingResponseSchema,
  toOutput: ({ processLead: processed }) => ({
    lead_id: processed.lead.id,
    conversation_id: processed.conversationId,
    success: processed.success,
    triage_result: toTriageResult(processed.lead.id, processed.triage),
    engagement_result: processed.engagement && toEngagementResult(processed.engagement),
    handoff_quality: processed.handoffQuality,
    processing_time_ms: processed.processingTimeMs,
    next_actions: processed.nextActions.map(toNextAction),
    ...(processed.success ? {} : { failure_reason: processed.handoff.failureReason }),
  }),
  issuePath: leadDataPath,
});
