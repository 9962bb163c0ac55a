// The lead operations the REST and JSON-RPC doors expose, each one GraphQL operation.
import { ProcessLeadDocument, TriageLeadDocument } from './__generated__/operations.js';
import { defineAdapterOperation } from './adapter-operation.js';
import { leadDataPath, leadRequestSchema, toLeadInput } from './shapes/lead-data.js';
import { toLeadProcessingResponse, toTriageResult } from './shapes/lead-results.js';

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
