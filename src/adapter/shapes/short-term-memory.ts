// Short-term memory in the specification's vocabulary: a conversation's context
// ↔ GraphQL's ConversationContext (memory/store/short-term answers it,
// memory/retrieve/short-term reads it back).
import { z } from 'zod';
import type { ConversationContextFieldsFragment } from '../__generated__/operations.js';
import { dateTime, jsonObject, orNull } from './fields.js';
import { named } from './named-shapes.js';

export const conversationContextSchema = named(
  'ConversationContext',
  z.object({
    conversation_id: z.string(),
    lead_id: orNull(z.string(), 'The lead the conversation belongs to; null when not known.'),
    active_intent: orNull(z.string(), 'What the lead is trying to do, e.g. product_inquiry; null when not known.'),
    extracted_slots: jsonObject().describe("Facts gathered in the conversation, the caller's own keys."),
    last_agent: orNull(z.string(), 'The agent that spoke last; null before any did.'),
    pending_actions: z.array(z.string()),
    updated_at: dateTime(),
    expires_at: dateTime().describe('When the context is forgotten unless written again.'),
  }),
);

export function toConversationContext(context: ConversationContextFieldsFragment): z.infer<typeof conversationContextSchema> {
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
