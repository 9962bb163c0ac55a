// Interactions in the specification's vocabulary: snake_case fields, lower-case
// labels (`email_open`, `email`) ↔ GraphQL's InteractionInput and Interaction.
import type { z } from 'zod';
import type { Channel, InteractionInput, InteractionType, LogInteractionMutation } from '../__generated__/operations.js';
import { issuePaths } from './issue-paths.js';
import { dateTime, freeformObject, nullable, object, oneOfStrings, string } from './json-schema.js';
import { isoDateTime, jsonObject, labelled, strictParams, text } from './params.js';

export const CHANNEL_LABELS: Record<Channel, string> = { EMAIL: 'email', SMS: 'sms', LINKEDIN: 'linkedin', CALL: 'call' };

export const INTERACTION_TYPE_LABELS: Record<InteractionType, string> = {
  TOUCHPOINT_SENT: 'touchpoint_sent',
  EMAIL_OPEN: 'email_open',
  CLICK: 'click',
  REPLY: 'reply',
  MEETING_BOOKED: 'meeting_booked',
  CONVERTED: 'converted',
  LOST: 'lost',
  UNSUBSCRIBED: 'unsubscribed',
};

/** interaction/log params. `converted` and `lost` also settle the lead's outcome; `unsubscribed` withdraws consent. */
export const logInteractionParamsSchema = strictParams({
  lead_id: text().describe('A lead Baton knows.'),
  interaction_type: labelled(INTERACTION_TYPE_LABELS).describe('What happened.'),
  channel: labelled(CHANNEL_LABELS).nullish().describe('Where it happened.'),
  template: text().nullish().describe('The template the signal answers, when known.'),
  occurred_at: isoDateTime().nullish().describe('When it happened; now when omitted; never in the future.'),
  metadata: jsonObject().nullish().describe('Context for analysts, a JSON object.'),
});

export type LogInteractionParams = z.infer<typeof logInteractionParamsSchema>;

/** interaction/log result. */
export interface InteractionShape {
  interaction_id: string;
  lead_id: string;
  interaction_type: string;
  channel: string | null;
  template: string | null;
  /** ISO 8601. */
  occurred_at: string;
  /** A JSON object, or null. */
  metadata: Record<string, unknown> | null;
}

export function toInteractionInput(params: LogInteractionParams): InteractionInput {
  const input: InteractionInput = { leadId: params.lead_id, type: params.interaction_type };
  if (params.channel != null) input.channel = params.channel;
  if (params.template != null) input.template = params.template;
  if (params.occurred_at != null) input.occurredAt = params.occurred_at;
  if (params.metadata != null) input.metadata = params.metadata;
  return input;
}

/** The recorded interaction: the success member of recordInteraction's result (a NotFoundError never reaches a mapper). */
export function toInteraction(interaction: Extract<LogInteractionMutation['recordInteraction'], { __typename: 'Interaction' }>): InteractionShape {
  return {
    interaction_id: interaction.id,
    lead_id: interaction.lead.id,
    interaction_type: INTERACTION_TYPE_LABELS[interaction.type],
    channel: interaction.channel && CHANNEL_LABELS[interaction.channel],
    template: interaction.template,
    occurred_at: interaction.occurredAt,
    metadata: (interaction.metadata ?? null) as Record<string, unknown> | null,
  };
}

/** `input.type` → `interaction_type`; the interaction log reports `occurredAt` at the top level. */
export const interactionPath = issuePaths({
  input: '',
  'input.leadId': 'lead_id',
  'input.type': 'interaction_type',
  'input.channel': 'channel',
  'input.template': 'template',
  'input.occurredAt': 'occurred_at',
  'input.metadata': 'metadata',
  occurredAt: 'occurred_at',
});

/** InteractionShape. */
export const INTERACTION_JSON_SCHEMA = object(
  {
    interaction_id: string(),
    lead_id: string(),
    interaction_type: oneOfStrings(Object.values(INTERACTION_TYPE_LABELS)),
    channel: nullable(oneOfStrings(Object.values(CHANNEL_LABELS))),
    template: nullable(string()),
    occurred_at: dateTime(),
    metadata: nullable(freeformObject()),
  },
  { title: 'Interaction' },
);
