// A handoff as the doors answer a change to it (provide_handoff_context): its
// status, quality and history. Lower-case statuses, as elsewhere on the wire.
import { z } from 'zod';
import type { ProvideHandoffContextMutation } from '../__generated__/operations.js';
import { orNull } from './fields.js';
import { named } from './named-shapes.js';

type HandoffFields = Extract<ProvideHandoffContextMutation['provideHandoffContext'], { __typename: 'Handoff' }>;

export const handoffStateSchema = named(
  'HandoffState',
  z.object({
    handoff_id: z.string(),
    type: z.string().describe('Lower case: triage_to_engagement or engagement_to_optimization.'),
    status: z
      .string()
      .describe(
        'Lower case. enriched: the context was accepted and the handoff is queued for the receiving agent again; it then goes validated → accepted → in_progress → completed.',
      ),
    quality_score: orNull(z.number().min(0).max(1), 'Context quality after the supplied context, 0-1; only above 0.7 passes the gate.'),
    missing_context: orNull(z.array(z.string()), 'While context_requested: the fields that may be supplied; null otherwise.'),
    events: z
      .array(z.object({ status: z.string(), detail: orNull(z.string(), 'What happened; null when nothing more was said.') }))
      .describe('The status history, in order.'),
  }),
);

export function toHandoffState(handoff: HandoffFields): z.infer<typeof handoffStateSchema> {
  return {
    handoff_id: handoff.id,
    type: handoff.type.toLowerCase(),
    status: handoff.status.toLowerCase(),
    quality_score: handoff.qualityScore,
    missing_context: handoff.missingContext ?? null,
    events: handoff.events.map((event) => ({ status: event.status.toLowerCase(), detail: event.detail })),
  };
}
