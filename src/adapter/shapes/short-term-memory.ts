// Short-term memory in the specification's vocabulary: a conversation's context
// (`memory_data`) ↔ GraphQL's ConversationContextInput and ConversationContext.
import { z } from 'zod';
import type { ConversationContextFieldsFragment, ConversationContextInput } from '../__generated__/operations.js';
import { issuePaths } from './issue-paths.js';
import { array, dateTime, freeformObject, nullable, object, string } from './json-schema.js';
import { expected, jsonObject, strictParams, text } from './params.js';

/**
 * What to remember about a conversation. Omitted fields keep their stored value;
 * `lead_id`, `active_intent` and `last_agent` are cleared by null;
 * `extracted_slots` merge key by key (a slot set to null is forgotten);
 * `pending_actions` replaces the stored list ([] empties it).
 */
export const memoryDataSchema = strictParams({
  lead_id: text().nullish().describe('The lead the conversation belongs to.'),
  active_intent: text().nullish().describe('What the lead is trying to do, e.g. product_inquiry.'),
  extracted_slots: jsonObject().optional().describe('Facts gathered in the conversation; merged key by key, null forgets a slot.'),
  last_agent: text().nullish().describe('The agent that spoke last.'),
  pending_actions: z.array(text(), expected('an array of strings')).optional().describe('Replaces the stored list.'),
});

/** memory/store/short-term params. */
export const storeShortTermParamsSchema = strictParams({
  conversation_id: text().describe('The conversation, e.g. conv-001.'),
  memory_data: memoryDataSchema,
  ttl_seconds: z
    .int32({ error: (issue) => (issue.code === 'too_big' ? 'is too large' : issue.code === 'too_small' ? 'is too small' : 'must be a whole number of seconds') })
    .nullish()
    .describe('How long the context lives unless written again; the server default (24 hours) when omitted.'),
});

/** memory/retrieve/short-term params. */
export const retrieveShortTermParamsSchema = strictParams({ conversation_id: text().describe('The conversation.') });

export type StoreShortTermParams = z.infer<typeof storeShortTermParamsSchema>;

/** memory/store/short-term and memory/retrieve/short-term result (retrieve: or null). Dates are ISO 8601 strings. */
export interface ConversationContextShape {
  conversation_id: string;
  lead_id: string | null;
  active_intent: string | null;
  /** A JSON object of the caller's own keys. */
  extracted_slots: Record<string, unknown>;
  last_agent: string | null;
  pending_actions: string[];
  updated_at: string;
  expires_at: string;
}

export function toContextVariables(params: StoreShortTermParams) {
  const data = params.memory_data;
  const input: ConversationContextInput = {};
  if (data.lead_id !== undefined) input.leadId = data.lead_id;
  if (data.active_intent !== undefined) input.activeIntent = data.active_intent;
  if (data.extracted_slots !== undefined) input.extractedSlots = data.extracted_slots;
  if (data.last_agent !== undefined) input.lastAgent = data.last_agent;
  if (data.pending_actions !== undefined) input.pendingActions = data.pending_actions;
  return {
    conversationId: params.conversation_id,
    input,
    ...(params.ttl_seconds == null ? {} : { ttlSeconds: params.ttl_seconds }),
  };
}

export function toConversationContext(context: ConversationContextFieldsFragment): ConversationContextShape {
  return {
    conversation_id: context.conversationId,
    lead_id: context.leadId,
    active_intent: context.activeIntent,
    extracted_slots: context.extractedSlots as Record<string, unknown>,
    last_agent: context.lastAgent,
    pending_actions: context.pendingActions,
    updated_at: context.updatedAt,
    expires_at: context.expiresAt,
  };
}

export const shortTermMemoryPath = issuePaths({
  conversationId: 'conversation_id',
  ttlSeconds: 'ttl_seconds',
  input: 'memory_data',
  'input.leadId': 'memory_data.lead_id',
  'input.activeIntent': 'memory_data.active_intent',
  'input.extractedSlots': 'memory_data.extracted_slots',
  'input.lastAgent': 'memory_data.last_agent',
  'input.pendingActions': 'memory_data.pending_actions',
});

/** ConversationContextShape. */
export const CONVERSATION_CONTEXT_JSON_SCHEMA = object(
  {
    conversation_id: string(),
    lead_id: nullable(string()),
    active_intent: nullable(string()),
    extracted_slots: freeformObject("Facts gathered in the conversation, the caller's own keys."),
    last_agent: nullable(string()),
    pending_actions: array(string()),
    updated_at: dateTime(),
    expires_at: dateTime('When the context is forgotten unless written again.'),
  },
  { title: 'ConversationContext' },
);
