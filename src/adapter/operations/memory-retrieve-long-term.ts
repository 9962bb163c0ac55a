// memory/retrieve/long-term and the MCP tool get_lead_profile: `{ lead_id }` →
// LeadProfile, one GraphQL operation (MemoryRetrieveLongTerm.graphql). An
// unknown lead is NOT_FOUND; a known lead with no profile yet gives null. (Every
// lead triaged through Baton has one, since triage appends to the score history;
// leads stored before profiles existed, or imported around the pipeline, do not.)
import { NotFoundError } from '../../errors.js';
import { MemoryRetrieveLongTermDocument } from '../__generated__/operations.js';
import { defineAdapterOperation } from '../adapter-operation.js';
import { READ_ONLY } from '../door-bindings.js';
import { issuePaths } from '../shapes/issue-paths.js';
import { leadProfileSchema, toLeadProfile } from '../shapes/lead-profile.js';
import { strictParams, text } from '../shapes/params.js';

export const memoryRetrieveLongTerm = defineAdapterOperation({
  description:
    "Reads a lead's long-term profile: attributes, behaviour derived from its interactions (touches, opens, clicks, replies, preferred channel and hour), triage score history, consent. Null when the lead has no profile yet; an unknown lead is not found.",
  jsonRpc: { method: 'memory/retrieve/long-term' },
  mcp: { name: 'get_lead_profile', title: "Read a lead's profile (long-term memory)", annotations: READ_ONLY, wrapIn: 'profile' },
  input: strictParams({ lead_id: text().describe('A lead Baton knows.') }),
  document: MemoryRetrieveLongTermDocument,
  toVariables: (params) => ({ leadId: params.lead_id }),
  output: leadProfileSchema.nullable(),
  toOutput: ({ lead }, params) => {
    if (!lead) throw new NotFoundError('Lead', params.lead_id);
    return lead.profile && toLeadProfile(lead.profile);
  },
  issuePath: issuePaths({ leadId: 'lead_id' }),
});
