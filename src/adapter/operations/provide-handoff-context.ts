// POST /api/v1/handoffs/{handoff_id}/context, handoff/context/provide and the MCP
// tool provide_handoff_context: `{ handoff_id, context: { email?, phone?, persona?, source? } }`
// → the handoff as it now stands, one GraphQL operation (ProvideHandoffContext.graphql).
// Over REST the handoff is the path's and the body is `{ context }`.
import { z } from 'zod';
import { PERSONA_LABELS } from '../../domain/labels.js';
import { ProvideHandoffContextDocument, type HandoffContextInput } from '../__generated__/operations.js';
import { defineAdapterOperation } from '../adapter-operation.js';
import { payload } from '../operation-payload.js';
import { handoffStateSchema, toHandoffState } from '../shapes/handoff-state.js';
import { issuePaths } from '../shapes/issue-paths.js';
import { named } from '../shapes/named-shapes.js';
import { labelled, strictParams, text } from '../shapes/params.js';

const suppliedContextSchema = named(
  'SuppliedHandoffContext',
  strictParams({
    email: text().optional().describe('An address the lead consented to be reached on (covers reachableChannel).'),
    phone: text().optional().describe('A phone number the lead consented to be reached on, 7 to 15 digits (covers reachableChannel).'),
    persona: labelled(PERSONA_LABELS).optional().describe('Who the lead is (covers persona).'),
    source: text().optional().describe('Where the lead came from.'),
  }).describe('Lead fields the receiving agent needs; at least one. A field given replaces what the packet carried.'),
);

export const provideHandoffContext = defineAdapterOperation({
  description:
    "Supplies the context a handoff's quality gate asked for. The handoff must be context_requested: its packet scored not above 0.7 against what the receiving agent needs, even after enrichment from the lead's memory (profile, conversation, similar episodes, knowledge graph). The fields join the packet and it is scored again: above 0.7, the handoff becomes enriched and is queued for the receiving agent again (which then validates, accepts and works on it, e.g. engagement sends its first touchpoint), and its flow is in progress again. Still not above 0.7: invalid input naming the fields still needed, and nothing is stored. An unknown handoff is not found; one not waiting for context is a conflict. Operators and admins only.",
  rest: {
    method: 'POST',
    path: '/api/v1/handoffs/{handoff_id}/context',
    summary: "Supply the context a handoff's quality gate asked for, and resume it",
    body: z.object({ context: suppliedContextSchema }),
    failures: {
      400: 'Invalid fields, or the handoff would still not pass the gate (the issues name the fields still needed)',
      403: 'Only operators and admins may supply context',
      404: 'No such handoff',
      409: 'The handoff is not waiting for context',
    },
  },
  jsonRpc: { method: 'handoff/context/provide' },
  mcp: {
    name: 'provide_handoff_context',
    title: "Supply a handoff's missing context and resume it",
    // Changes the handoff and queues the receiving agent's work (which may reach the lead); a second call on the same handoff is a conflict.
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  },
  input: strictParams({
    handoff_id: text().describe('A handoff in context_requested (the flow lists its handoff_ids).'),
    context: suppliedContextSchema,
  }),
  document: ProvideHandoffContextDocument,
  toVariables: ({ handoff_id, context }) => {
    const supplied: HandoffContextInput = {};
    if (context.email !== undefined) supplied.email = context.email;
    if (context.phone !== undefined) supplied.phone = context.phone;
    if (context.persona !== undefined) supplied.persona = context.persona;
    if (context.source !== undefined) supplied.source = context.source;
    return { handoffId: handoff_id, context: supplied };
  },
  output: handoffStateSchema,
  toOutput: (data) => toHandoffState(payload(data.provideHandoffContext, 'Handoff')),
  issuePath: issuePaths({ handoffId: 'handoff_id' }),
});
