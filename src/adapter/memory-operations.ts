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
import { payload } from './operation-payload.js';
import { nullable } from './shapes/json-schema.js';
import { INTERACTION_JSON_SCHEMA, interactionPath, logInteractionParamsSchema, toInteraction, toInteractionInput } from './shapes/interaction.js';
import {
  LEAD_PROFILE_JSON_SCHEMA,
  leadProfilePath,
  retrieveLongTermParamsSchema,
  storeLongTermParamsSchema,
  toLeadProfile,
  toProfileVariables,
} from './shapes/lead-profile.js';
import {
  CONVERSATION_CONTEXT_JSON_SCHEMA,
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
  description:
    'Merges into a conversation\'s short-term context (creating it): lead, active intent, extracted slots (merged key by key; null forgets a slot), last agent, pending actions (replaced). Refreshes its time to live (ttl_seconds, 24 hours by default).',
  input: storeShortTermParamsSchema,
  document: MemoryStoreShortTermDocument,
  toVariables: toContextVariables,
  toOutput: (data) => toConversationContext(data.storeShortTermMemory),
  issuePath: shortTermMemoryPath,
  result: CONVERSATION_CONTEXT_JSON_SCHEMA,
});

/**
 * memory/retrieve/short-term: `{ conversation_id }` → ConversationContextShape, or
 * null when the conversation has no live context (never written, or expired).
 */
export const retrieveShortTermMemoryOperation = defineAdapterOperation({
  description:
    'Reads a conversation\'s short-term context; null when it was never written or has expired.',
  input: retrieveShortTermParamsSchema,
  document: MemoryRetrieveShortTermDocument,
  toVariables: (params) => ({ conversationId: params.conversation_id }),
  toOutput: (data) => data.shortTermMemory && toConversationContext(data.shortTermMemory),
  issuePath: shortTermMemoryPath,
  result: nullable(CONVERSATION_CONTEXT_JSON_SCHEMA),
});

/**
 * memory/store/long-term: `{ lead_id, profile: { attributes?, consent?, do_not_contact? } }`
 * → LeadProfileShape. Creates the profile on first write; an unknown lead is NOT_FOUND.
 */
export const storeLeadProfileOperation = defineAdapterOperation({
  description:
    'Writes a lead\'s long-term profile: attributes (merged key by key; null removes one), consent and do-not-contact. Creates the profile on first write; an unknown lead is not found.',
  input: storeLongTermParamsSchema,
  document: MemoryStoreLongTermDocument,
  toVariables: toProfileVariables,
  toOutput: (data) => toLeadProfile(payload(data.storeLeadProfile, 'LeadProfile')),
  issuePath: leadProfilePath,
  result: LEAD_PROFILE_JSON_SCHEMA,
});

/**
 * memory/retrieve/long-term: `{ lead_id }` → LeadProfileShape; an unknown lead is
 * NOT_FOUND; a known lead with no profile yet gives null. (Every lead triaged
 * through Baton has one, since triage appends to the score history; leads
 * stored before profiles existed, or imported around the pipeline, do not.)
 */
export const retrieveLeadProfileOperation = defineAdapterOperation({
  description:
    'Reads a lead\'s long-term profile: attributes, behaviour derived from its interactions (touches, opens, clicks, replies, preferred channel and hour), triage score history, consent. Null when the lead has no profile yet; an unknown lead is not found.',
  input: retrieveLongTermParamsSchema,
  document: MemoryRetrieveLongTermDocument,
  toVariables: (params) => ({ leadId: params.lead_id }),
  toOutput: ({ lead }, params) => {
    if (!lead) throw new NotFoundError('Lead', params.lead_id);
    return lead.profile && toLeadProfile(lead.profile);
  },
  issuePath: leadProfilePath,
  result: nullable(LEAD_PROFILE_JSON_SCHEMA),
});

/**
 * interaction/log: `{ lead_id, interaction_type, channel?, template?, occurred_at?, metadata? }`
 * → InteractionShape. `converted` and `lost` also settle the lead's outcome;
 * `unsubscribed` withdraws its consent. An unknown lead is NOT_FOUND.
 */
export const logInteractionOperation = defineAdapterOperation({
  description:
    'Records a lead\'s interaction (touchpoint_sent, email_open, click, reply, meeting_booked, converted, lost, unsubscribed). converted and lost settle the lead\'s outcome, which teaches triage; unsubscribed withdraws consent. An unknown lead is not found.',
  input: logInteractionParamsSchema,
  document: LogInteractionDocument,
  toVariables: (params) => ({ input: toInteractionInput(params) }),
  toOutput: (data) => toInteraction(payload(data.recordInteraction, 'Interaction')),
  issuePath: interactionPath,
  result: INTERACTION_JSON_SCHEMA,
});
