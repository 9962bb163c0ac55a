// GET /api/v1/leads/{lead_id}: the lead's latest flow as it stands (where a 202
// from POST /api/v1/leads points). One GraphQL operation (GetLeadFlow.graphql).
import { z } from 'zod';
import { GetLeadFlowDocument } from '../__generated__/operations.js';
import { defineAdapterOperation } from '../adapter-operation.js';
import { NotFoundError } from '../../errors.js';
import { issuePaths } from '../shapes/issue-paths.js';
import { leadFlowSchema, toLeadFlow } from '../shapes/lead-flow.js';
import { text } from '../shapes/params.js';

export const getLeadFlow = defineAdapterOperation({
  description:
    "Reads a lead's latest flow: in_progress while the agents work on it, then completed, failed or escalated, with the triage verdict, the first touchpoint (its delivery status, transport and sent_at as they stand now) and the flow's handoff ids. An unknown lead, or one never submitted, is not found.",
  rest: {
    method: 'GET',
    path: '/api/v1/leads/{lead_id}',
    summary: "A lead's latest flow, as it stands",
    failures: { 404: 'No such lead, or it was never submitted to POST /api/v1/leads' },
  },
  input: z.object({ lead_id: text().describe('The lead, as submitted.') }),
  document: GetLeadFlowDocument,
  toVariables: ({ lead_id }) => ({ leadId: lead_id }),
  output: leadFlowSchema,
  toOutput: ({ lead }, { lead_id }) => {
    if (!lead?.latestFlow) throw new NotFoundError('Lead', lead_id);
    return toLeadFlow(lead.latestFlow);
  },
  issuePath: issuePaths({ id: 'lead_id' }), // GraphQL names the argument of lead(id:)
});
