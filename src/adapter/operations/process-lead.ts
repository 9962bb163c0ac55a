// POST /api/v1/leads: the specification's LeadProcessingRequest → LeadProcessingResponse,
// one GraphQL operation (ProcessLead.graphql). The lead's flow runs on the agents'
// workers: the route answers when it settled (200), or, past PROCESS_WAIT_MS or when
// asked with `Prefer: respond-async`, 202 Accepted with the flow as it stands and a
// Location to follow it (GET /api/v1/leads/{lead_id}).
import { z } from 'zod';
import { ProcessLeadDocument } from '../__generated__/operations.js';
import { defineAdapterOperation } from '../adapter-operation.js';
import { RESUBMISSION, leadFlowSchema, leadLocation, leadProcessingResponseSchema, toLeadFlow, toLeadProcessingResponse } from '../shapes/lead-flow.js';
import { leadDataPath, leadRequestSchema, toLeadInput } from '../shapes/lead-data.js';

export const processLead = defineAdapterOperation({
  description:
    "Runs a lead through the whole flow: triage (category, 0-100 score, confidence, reasoning), the quality-gated handoff to engagement and the touchpoints it schedules (the delivery worker sends each when due by SMTP or the signed webhook, or only stores it in the local mailbox when neither is configured: see engagement_result.delivery_status and transport); with campaign_id, the campaign's review by optimization. The agents work on their own queues: the answer comes when the flow settles, or, if that takes longer than the server waits or the caller sends `Prefer: respond-async`, as 202 Accepted with the flow so far and a Location to follow it. " +
    RESUBMISSION,
  rest: {
    method: 'POST',
    path: '/api/v1/leads',
    summary: 'Process a new lead through the complete agent workflow',
    idempotent: true,
    failures: {
      400: 'Invalid lead data',
      403: 'The role may not process leads',
      409: 'The email belongs to a person erased at their request, and the lead carries no consent: true (nothing is stored)',
    },
    async: {
      completed: leadProcessingResponseSchema,
      accepted: leadFlowSchema,
      location: (output) => (isLeadFlow(output) ? leadLocation(output.lead_id) : null),
    },
  },
  input: leadRequestSchema,
  document: ProcessLeadDocument,
  toVariables: (request, door) => ({ input: toLeadInput(request.lead_data), wait: !door.respondAsync }),
  output: z.union([leadProcessingResponseSchema, leadFlowSchema]),
  toOutput: ({ processLead: flow }) => toLeadProcessingResponse(flow) ?? toLeadFlow(flow),
  issuePath: leadDataPath,
});

function isLeadFlow(output: unknown): output is z.infer<typeof leadFlowSchema> {
  return typeof output === 'object' && output !== null && 'flow_id' in output;
}
