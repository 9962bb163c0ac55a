// interaction/log and the MCP tool log_interaction:
// `{ lead_id, interaction_type, channel?, template?, occurred_at?, metadata? }` →
// the recorded Interaction, one GraphQL operation (LogInteraction.graphql).
// `converted` and `lost` also settle the lead's outcome; `unsubscribed`
// withdraws its consent. An unknown lead is NOT_FOUND.
import { z } from 'zod';
import { LogInteractionDocument, type InteractionInput } from '../__generated__/operations.js';
import { defineAdapterOperation } from '../adapter-operation.js';
import { payload } from '../operation-payload.js';
import { dateTime, jsonObject, jsonObjectInput, oneOfLabels, orNull } from '../shapes/fields.js';
import { CHANNEL_LABELS, INTERACTION_TYPE_LABELS } from '../shapes/interaction-labels.js';
import { issuePaths } from '../shapes/issue-paths.js';
import { named } from '../shapes/named-shapes.js';
import { isoDateTime, labelled, strictParams, text } from '../shapes/params.js';

const interactionSchema = named(
  'Interaction',
  z.object({
    interaction_id: z.string(),
    lead_id: z.string(),
    interaction_type: oneOfLabels(INTERACTION_TYPE_LABELS),
    channel: oneOfLabels(CHANNEL_LABELS).nullable().describe('Where it happened; null when not said.'),
    template: orNull(z.string(), 'The template the signal answers; null when not known.'),
    occurred_at: dateTime(),
    metadata: jsonObject().nullable().describe('Context for analysts, a JSON object; null when none was given.'),
  }),
);

export const logInteraction = defineAdapterOperation({
  description:
    "Records a lead's interaction (touchpoint_sent, email_open, click, reply, meeting_booked, converted, lost, unsubscribed). converted and lost settle the lead's outcome, which teaches triage; unsubscribed withdraws consent. An unknown lead is not found.",
  jsonRpc: { method: 'interaction/log' },
  mcp: {
    name: 'log_interaction',
    title: "Record a lead's interaction or outcome",
    // Each call records one more interaction.
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  },
  input: strictParams({
    lead_id: text().describe('A lead Baton knows.'),
    interaction_type: labelled(INTERACTION_TYPE_LABELS).describe('What happened.'),
    channel: labelled(CHANNEL_LABELS).nullish().describe('Where it happened.'),
    template: orNull(text(), 'The template the signal answers, when known.').optional(),
    occurred_at: isoDateTime().nullish().describe('When it happened; now when omitted; never in the future.'),
    metadata: jsonObjectInput().nullish().describe('Context for analysts, a JSON object.'),
  }),
  document: LogInteractionDocument,
  toVariables: (params) => {
    const input: InteractionInput = { leadId: params.lead_id, type: params.interaction_type };
    if (params.channel != null) input.channel = params.channel;
    if (params.template != null) input.template = params.template;
    if (params.occurred_at != null) input.occurredAt = params.occurred_at;
    if (params.metadata != null) input.metadata = params.metadata;
    return { input };
  },
  output: interactionSchema,
  toOutput: (data) => {
    const interaction = payload(data.recordInteraction, 'Interaction');
    return {
      interaction_id: interaction.id,
      lead_id: interaction.lead.id,
      interaction_type: INTERACTION_TYPE_LABELS[interaction.type],
      channel: interaction.channel && CHANNEL_LABELS[interaction.channel],
      template: interaction.template,
      occurred_at: interaction.occurredAt,
      metadata: (interaction.metadata ?? null) as Record<string, unknown> | null,
    };
  },
  /** `input.type` → `interaction_type`; the interaction log reports `occurredAt` at the top level. */
  issuePath: issuePaths({
    input: '',
    'input.leadId': 'lead_id',
    'input.type': 'interaction_type',
    'input.channel': 'channel',
    'input.template': 'template',
    'input.occurredAt': 'occurred_at',
    'input.metadata': 'metadata',
    occurredAt: 'occurred_at',
  }),
});
