// The lead operations the REST and JSON-RPC doors expose, each one GraphQL operation.
// Every LeadData accepts an optional `campaign_id` (GraphQL's `input.campaignId`).
import { ExecuteEngagementDocument, ProcessLeadDocument, TriageLeadDocument } from './__generated__/operations.js';
import { defineAdapterOperation } from './adapter-operation.js';
import { leadDataPath, leadRequestSchema, toLeadInput } from './shapes/lead-data.js';
import { toEngagementExecution, toLeadProcessingResponse, toTriageResult } from './shapes/lead-results.js';

/** POST /api/v1/leads: LeadProcessingRequest → LeadProcessingResponse. */
export const processLeadOperation = defineAdapterOperation({
  input: leadRequestSchema,
  document: ProcessLeadDocument,
  toVariables: (request) => ({ input: toLeadInput(request.lead_data) }),
  toOutput: (data) => toLeadProcessingResponse(data.processLead),
  issuePath: leadDataPath,
});

/** agent/triage/lead: `{ lead_data }` → TriageResult. */
export const triageLeadOperation = defineAdapterOperation({
  input: leadRequestSchema,
  document: TriageLeadDocument,
  toVariables: (request) => ({ input: toLeadInput(request.lead_data) }),
  toOutput: (data) => toTriageResult(data.triageLead.lead.id, data.triageLead.triage),
  issuePath: leadDataPath,
});

/**
 * agent/engagement/execute: `{ lead_data }` → EngagementExecutionShape: the lead's
 * flow (triage, the quality-gated handoff, the first touchpoint; for a lead with
 * `campaign_id`, the campaign's review), with the handoff's history and the
 * escalations it raised.
 */
export const executeEngagementOperation = defineAdapterOperation({
  input: leadRequestSchema,
  document: ExecuteEngagementDocument,
  toVariables: (request) => ({ input: toLeadInput(request.lead_data) }),
  toOutput: (data) => toEngagementExecution(data.processLead),
  issuePath: leadDataPath,
});
