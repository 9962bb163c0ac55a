// Short-term memory: a conversation's working context (intent, extracted slots,
// last agent, pending actions), kept for a TTL that each write refreshes.
import { z } from 'zod';
import type { ConversationContext } from '../memory/short-term/short-term-memory.js';
import { MAX_TTL_SECONDS } from '../memory/short-term/short-term-memory.js';
import { builder } from './builder.js';
import { pii, writesPersonalData } from './pii-masking.js';
import { jsonObject } from './json-input.js';
import { pageSize } from './page-size.js';

/** Conversation ids travel in Redis keys and URLs: printable and bounded, like lead ids. */
export const conversationIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/, 'must be 1-128 characters: letters, digits and . _ : @ -, starting with a letter or digit');

const SLOTS_MAX_BYTES = 16_384;
const MAX_PENDING_ACTIONS = 50;

export const ConversationContextRef = builder.objectRef<ConversationContext>('ConversationContext').implement({
  description: "A conversation's short-term memory. It expires `expiresAt` unless written again.",
  fields: (t) => ({
    conversationId: t.exposeID('conversationId'),
    leadId: t.exposeID('leadId', { nullable: true }),
    activeIntent: t.exposeString('activeIntent', { nullable: true }),
    extractedSlots: t.expose('extractedSlots', { type: 'JSON', description: 'Facts gathered in the conversation, as a JSON object.', ...pii('json') }),
    lastAgent: t.exposeString('lastAgent', { nullable: true }),
    pendingActions: t.exposeStringList('pendingActions'),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
  }),
});

const ConversationContextInputRef = builder.inputType('ConversationContextInput', {
  description: 'What to remember. Omitted fields keep their stored value; slots merge key by key (a null slot is forgotten).',
  fields: (t) => ({
    leadId: t.id({ description: 'The lead the conversation belongs to; it need not have been processed yet.' }),
    activeIntent: t.string(),
    extractedSlots: t.field({ type: 'JSON', description: `A JSON object, at most ${SLOTS_MAX_BYTES} bytes; not null.` }),
    lastAgent: t.string(),
    pendingActions: t.stringList({ description: `Replaces the stored list (empty it with []); at most ${MAX_PENDING_ACTIONS}; not null.` }),
  }),
});

const text = z.string().trim().min(1, 'must not be empty').max(128, 'must be at most 128 characters');

builder.queryField('shortTermMemory', (t) =>
  t.field({
    type: ConversationContextRef,
    nullable: true,
    description: "A conversation's live context; null when there is none or it expired.",
    authScopes: { read: true },
    args: { conversationId: t.arg.id({ required: true }) },
    resolve: (_root, { conversationId }, { services }) => services.memory.shortTerm.retrieve(String(conversationId)),
  }),
);

builder.queryField('shortTermConversations', (t) =>
  t.field({
    type: [ConversationContextRef],
    description: 'The live conversations, most recently written first, each with its TTL (`expiresAt`) and slots.',
    authScopes: { read: true },
    args: { first: t.arg.int({ defaultValue: 20, validate: pageSize }) },
    resolve: (_root, { first }, { services }) => services.memory.shortTerm.recent(first ?? 20),
  }),
);

builder.mutationField('storeShortTermMemory', (t) =>
  t.field({
    type: ConversationContextRef,
    description: "Merge into a conversation's context and refresh its TTL.",
    authScopes: { processLeads: true },
    ...writesPersonalData((_args, context) => context.leadId),
    args: {
      conversationId: t.arg.id({ required: true }),
      input: t.arg({ type: ConversationContextInputRef, required: true }),
      ttlSeconds: t.arg.int({ description: 'Defaults to SHORT_TERM_TTL_S (24 hours).' }),
    },
    validate: z.looseObject({
      conversationId: conversationIdSchema,
      ttlSeconds: z.number().int().min(1, 'must be at least 1').max(MAX_TTL_SECONDS, `must be at most ${MAX_TTL_SECONDS} (30 days)`).nullish(),
      input: z.looseObject({
        activeIntent: text.nullish(),
        lastAgent: text.nullish(),
        // Null is refused rather than ignored: it would read as "clear", which these fields do not do.
        extractedSlots: jsonObject(SLOTS_MAX_BYTES).optional(),
        pendingActions: z.array(text).max(MAX_PENDING_ACTIONS, `must hold at most ${MAX_PENDING_ACTIONS} actions`).optional(),
      }),
    }),
    resolve: (_root, { conversationId, input, ttlSeconds }, { services }) =>
      services.memory.shortTerm.store(
        String(conversationId),
        {
          ...(input.leadId !== undefined ? { leadId: input.leadId === null ? null : String(input.leadId) } : {}),
          ...(input.activeIntent !== undefined ? { activeIntent: input.activeIntent } : {}),
          ...(input.lastAgent !== undefined ? { lastAgent: input.lastAgent } : {}),
          ...(input.extractedSlots ? { extractedSlots: input.extractedSlots as ConversationContext['extractedSlots'] } : {}),
          ...(input.pendingActions ? { pendingActions: input.pendingActions } : {}),
        },
        ttlSeconds ? { ttlSeconds } : {},
      ),
  }),
);
