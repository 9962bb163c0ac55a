// memory/store/short-term and the MCP tool store_conversation_memory:
// `{ conversation_id, memory_data, ttl_seconds? }` → ConversationContext, one
// GraphQL operation (MemoryStoreShortTerm.graphql). Merges into the
// conversation's context (creating it) and refreshes its TTL.
import { z } from 'zod';
import { MemoryStoreShortTermDocument, type ConversationContextInput } from '../__generated__/operations.js';
import { defineAdapterOperation } from '../adapter-operation.js';
import { IDEMPOTENT_WRITE } from '../door-bindings.js';
import { jsonObjectInput, orNull } from '../shapes/fields.js';
import { issuePaths } from '../shapes/issue-paths.js';
import { expected, strictParams, text } from '../shapes/params.js';
import { conversationContextSchema, toConversationContext } from '../shapes/short-term-memory.js';

/**
 * What to remember about a conversation. Omitted fields keep their stored value;
 * `lead_id`, `active_intent` and `last_agent` are cleared by null;
 * `extracted_slots` merge key by key (a slot set to null is forgotten);
 * `pending_actions` replaces the stored list ([] empties it).
 */
const memoryData = strictParams({
  lead_id: orNull(text(), 'The lead the conversation belongs to; null clears it.').optional(),
  active_intent: orNull(text(), 'What the lead is trying to do, e.g. product_inquiry; null clears it.').optional(),
  extracted_slots: jsonObjectInput().optional().describe('Facts gathered in the conversation; merged key by key, null forgets a slot.'),
  last_agent: orNull(text(), 'The agent that spoke last; null clears it.').optional(),
  pending_actions: z.array(text(), expected('an array of strings')).optional().describe('Replaces the stored list.'),
});

export const memoryStoreShortTerm = defineAdapterOperation({
  description:
    "Merges into a conversation's short-term context (creating it): lead, active intent, extracted slots (merged key by key; null forgets a slot), last agent, pending actions (replaced). Refreshes its time to live (ttl_seconds, 24 hours by default).",
  jsonRpc: { method: 'memory/store/short-term' },
  mcp: { name: 'store_conversation_memory', title: "Remember a conversation's context (short-term memory)", annotations: IDEMPOTENT_WRITE },
  input: strictParams({
    conversation_id: text().describe('The conversation, e.g. conv-001.'),
    memory_data: memoryData,
    ttl_seconds: z
      .int32({
        error: (issue) => (issue.code === 'too_big' ? 'is too large' : issue.code === 'too_small' ? 'is too small' : 'must be a whole number of seconds'),
      })
      .nullish()
      .describe('How long the context lives unless written again; the server default (24 hours) when omitted.'),
  }),
  document: MemoryStoreShortTermDocument,
  toVariables: ({ conversation_id, memory_data: data, ttl_seconds }) => {
    const input: ConversationContextInput = {};
    if (data.lead_id !== undefined) input.leadId = data.lead_id;
    if (data.active_intent !== undefined) input.activeIntent = data.active_intent;
    if (data.extracted_slots !== undefined) input.extractedSlots = data.extracted_slots;
    if (data.last_agent !== undefined) input.lastAgent = data.last_agent;
    if (data.pending_actions !== undefined) input.pendingActions = data.pending_actions;
    return { conversationId: conversation_id, input, ...(ttl_seconds == null ? {} : { ttlSeconds: ttl_seconds }) };
  },
  output: conversationContextSchema,
  toOutput: (data) => toConversationContext(data.storeShortTermMemory),
  issuePath: issuePaths({
    conversationId: 'conversation_id',
    ttlSeconds: 'ttl_seconds',
    input: 'memory_data',
    'input.leadId': 'memory_data.lead_id',
    'input.activeIntent': 'memory_data.active_intent',
    'input.extractedSlots': 'memory_data.extracted_slots',
    'input.lastAgent': 'memory_data.last_agent',
    'input.pendingActions': 'memory_data.pending_actions',
  }),
});
