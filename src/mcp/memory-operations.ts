// The memory and interaction operations the JSON-RPC door exposes (the
// specification's MCP Server API), each one GraphQL operation. Params are
// validated by the zod schemas in ./shapes; results are the shapes' types.
import {
  LogInteractionDocument,
  MemoryRetrieveLongTermDocument,
  MemoryRetrieveShortTermDocument,
  MemoryStoreLongTermDocument,
  MemoryStoreShortTermDocument,
} from './__generated__/operations.js';
import { NotFoundError } from '../errors.js';
import { defineAdapterOperation } from './adapter-operation.js';
import { interactionPath, logInteractionParamsSchema, toInteraction, toInteractionInput } from './shapes/interaction.js';
import {
  leadProfilePath,
  retrieveLongTermParamsSchema,
  storeLongTermParamsSchema,
  toLeadProfile,
  toProfileVariables,
} from './shapes/lead-profile.js';
import {
  retrieveShortTermParamsSchema,
  shortTermMemoryPath,
  storeShortTermParamsSchema,
  toContextVariables,
  toConversationContext,
} from './shapes/short-term-memory.js';

/**
 * memory/store/short-term: `{ conversation_id, memory_data: { lead_id?, active_intent?,
 * extracted_slots?, last_agent?, pending_actions? }, ttl_seconds? }` → ConversationContextShape.
 * Merges into the conversation's context (creating it) and refreshes its TTL.
 */
export const storeShortTermMemoryOperation = defineAdapterOperation({
  input: storeShortTermParamsSchema,
  document: MemoryStoreShortTermDocument,
  toVariables: toContextVariables,
  toOutput: (data) => toConversationContext(data.storeShortTermMemory),
  issuePath: shortTermMemoryPath,
});

/**
 * memory/retrieve/short-term: `{ conversation_id }` → ConversationContextShape, or
 * null when the conversation has no live context (never written, or expired).
 */
export const retrieveShortTermMemoryOperation = defineAdapterOperation({
  input: retrieveShortTermParamsSchema,
  document: MemoryRetrieveShortTermDocument,
  toVariables: (params) => ({ conversationId: params.conversation_id }),
  toOutput: (data) => data.shortTermMemory && toConversationContext(data.shortTermMemory),
  issuePath: shortTermMemoryPath,
});

/**
 * memory/store/long-term: `{ lead_id, profile: { attributes?, consent?, do_not_contact? } }`
 * → LeadProfileShape. Creates the profile on first write; an unknown lead is NOT_FOUND.
 */
export const storeLeadProfileOperation = defineAdapterOperation({
  input: storeLongTermParamsSchema,
  document: MemoryStoreLongTermDocument,
  toVariables: toProfileVariables,
  toOutput: (data) => toLeadProfile(data.storeLeadProfile),
  issuePath: leadProfilePath,
});

/**
 * memory/retrieve/long-term: `{ lead_id }` → LeadProfileShape; an unknown lead is
 * NOT_FOUND; a known lead with no profile yet gives null. (Every lead triaged
 * through Baton has one, since triage appends to the score history; leads
 * stored before profiles existed, or imported around the pipeline, do not.)
 */
export const retrieveLeadProfileOperation = defineAdapterOperation({
  input: retrieveLongTermParamsSchema,
  document: MemoryRetrieveLongTermDocument,
  toVariables: (params) => ({ leadId: params.lead_id }),
  toOutput: ({ lead }, params) => {
    if (!lead) throw new NotFoundError(`Lead ${params.lead_id} does not exist`);
    return lead.profile && toLeadProfile(lead.profile);
  },
  issuePath: leadProfilePath,
});

/**
 * interaction/log: `{ lead_id, interaction_type, channel?, template?, occurred_at?, metadata? }`
 * → InteractionShape. `converted` and `lost` also settle the lead's outcome;
 * `unsubscribed` withdraws its consent. An unknown lead is NOT_FOUND.
 */
export const logInteractionOperation = defineAdapterOperation({
  input: logInteractionParamsSchema,
  document: LogInteractionDocument,
  toVariables: (params) => ({ input: toInteractionInput(params) }),
  toOutput: (data) => toInteraction(data.recordInteraction),
  issuePath: interactionPath,
});
