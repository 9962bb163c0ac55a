// agent/triage/lead and the MCP tool triage_lead: `{ lead_data }` → TriageResult,
// one GraphQL operation (TriageLead.graphql).
import { TriageLeadDocument } from '../__generated__/operations.js';
import { defineAdapterOperation } from '../adapter-operation.js';
import { IDEMPOTENT_WRITE } from '../door-bindings.js';
import { leadDataPath, leadRequestSchema, toLeadInput } from '../shapes/lead-data.js';
import { toTriageResult, triageResultSchema } from '../shapes/lead-results.js';

export const triageLead = defineAdapterOperation({
  description:
    'Triages a lead: stores it (idempotent by lead_id), classifies it as Campaign Qualified, General Inquiry or Cold Lead, scores it 0-100 with a confidence and the factors that moved the score, and names the agent it is assigned to. No handoff, no outreach.',
  jsonRpc: { method: 'agent/triage/lead' },
  mcp: { name: 'triage_lead', title: 'Triage a lead', annotations: IDEMPOTENT_WRITE, longRunning: true },
  input: leadRequestSchema,
  document: TriageLeadDocument,
  toVariables: (request) => ({ input: toLeadInput(request.lead_data) }),
  output: triageResultSchema,
  toOutput: (data) => toTriageResult(data.triageLead.lead.id, data.triageLead.triage),
  issuePath: leadDataPath,
});
