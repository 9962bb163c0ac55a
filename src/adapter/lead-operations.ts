// The lead operations the REST and JSON-RPC doors expose, each one GraphQL operation.
// Every LeadData accepts an optional `campaign_id` (GraphQL's `input.campaignId`).
import { ExecuteEngagementDocument, ProcessLeadDocument, TriageLeadDocument } from './__generated__/operations.js';
import { defineAdapterOperation } from './adapter-operation.js';
import { leadDataPath, leadRequestSchema, toLeadInput } from './shapes/lead-data.js';
import {
  ENGAGEMENT_EXECUTION_JSON_SCHEMA,
  LEAD_PROCESSING_RESPONSE_JSON_SCHEMA,
  toEngagementExecution,
  toLeadProcessingResponse,
  toTriageResult,
  TRIAGE_RESULT_JSON_SCHEMA,
} from './shapes/lead-results.js';

/** POST /api/v1/leads: LeadProcessingRequest → LeadProcessingResponse. */
export const processLeadOperation = defineAdapterOperation({
  description:
    'Runs a lead through the whole flow: triage (category, 0-100 score, confidence, reasoning), the quality-gated handoff to engagement and the first touchpoint; with campaign_id, the campaign\'s review by optimization.',
  input: leadRequestSchema,
  document: ProcessLeadDocument,
  toVariables: (request) => ({ input: toLeadInput(request.lead_data) }),
  toOutput: (data) => toLeadProcessingResponse(data.processLead),
  issuePath: leadDataPath,
  result: LEAD_PROCESSING_RESPONSE_JSON_SCHEMA,
});

/** agent/triage/lead: `{ lead_data }` → TriageResult. */
export const triageLeadOperation = defineAdapterOperation({
  description:
    'Triages a lead: stores it (idempotent by lead_id), classifies it as Campaign Qualified, General Inquiry or Cold Lead, scores it 0-100 with a confidence and the factors that moved the score, and names the agent it is assigned to. No handoff, no outreach.',
  input: leadRequestSchema,
  document: TriageLeadDocument,
  toVariables: (request) => ({ input: toLeadInput(request.lead_data) }),
  toOutput: (data) => toTriageResult(data.triageLead.lead.id, data.triageLead.triage),
  issuePath: leadDataPath,
  result: TRIAGE_RESULT_JSON_SCHEMA,
});

/**
 * agent/engagement/execute: `{ lead_data }` → EngagementExecutionShape: the lead's
 * flow (triage, the quality-gated handoff, the first touchpoint; for a lead with
 * `campaign_id`, the campaign's review), with the handoff's history and the
 * escalations it raised.
 */
export const executeEngagementOperation = defineAdapterOperation({
  description:
    'Runs a lead through triage and the quality-gated handoff to the Engagement agent, which picks a channel and template from what worked for the segment, personalizes the message and sends the first touchpoint. Returns the touchpoint, the handoff with its status history and any manager escalations raised; with campaign_id, the campaign is handed to optimization.',
  input: leadRequestSchema,
  document: ExecuteEngagementDocument,
  toVariables: (request) => ({ input: toLeadInput(request.lead_data) }),
  toOutput: (data) => toEngagementExecution(data.processLead),
  issuePath: leadDataPath,
  result: ENGAGEMENT_EXECUTION_JSON_SCHEMA,
});
