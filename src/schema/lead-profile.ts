// Long-term memory: what Baton knows about a lead across conversations.
import { z } from 'zod';
import { NotFoundError } from '../errors.js';
import type { ScoreHistoryEntry } from '../memory/long-term/lead-profile-store.js';
import { builder } from './builder.js';
import { pii, writesPersonalData } from './pii-masking.js';
import { ChannelEnum } from './enums.js';
import { jsonObject } from './json-input.js';

const ATTRIBUTES_MAX_BYTES = 16_384;

const ScoreRecordRef = builder.objectRef<ScoreHistoryEntry>('ScoreRecord').implement({
  description: 'One triage score of the lead, and the model version that produced it.',
  fields: (t) => ({
    score: t.exposeInt('score', { description: '0-100.' }),
    modelVersion: t.exposeString('modelVersion', { description: 'cold-start-v1, learned-v1, …' }),
    at: t.field({ type: 'DateTime', resolve: (entry) => entry.at }),
  }),
});

const scoreRecord = z.object({ score: z.number().int(), modelVersion: z.string(), at: z.string() });

/** The stored history is Baton's own JSON; an entry of any other shape (none is written) is left out rather than guessed at. */
function scoreHistoryOf(stored: unknown): ScoreHistoryEntry[] {
  return Array.isArray(stored) ? stored.flatMap((entry) => scoreRecord.safeParse(entry).data ?? []) : [];
}

builder.prismaObject('LeadProfile', {
  description: "A lead's long-term profile: attributes, behaviour aggregated from its interactions (by consolidation), score history and contact permissions.",
  fields: (t) => ({
    leadId: t.exposeID('leadId'),
    attributes: t.expose('attributes', {
      type: 'JSON',
      description: 'Facts about the lead, as a JSON object (including slots learned in conversation).',
      ...pii('json'),
    }),
    touches: t.exposeInt('touches', { description: 'Touchpoints sent.' }),
    opens: t.exposeInt('opens'),
    clicks: t.exposeInt('clicks'),
    replies: t.exposeInt('replies'),
    lastActivityAt: t.expose('lastActivityAt', { type: 'DateTime', nullable: true, description: 'The latest signal from the lead.' }),
    preferredChannel: t.expose('preferredChannel', { type: ChannelEnum, nullable: true, description: 'The channel it responds on most.' }),
    preferredHour: t.exposeInt('preferredHour', { nullable: true, description: 'The UTC hour it responds at most.' }),
    scoreHistory: t.field({ type: [ScoreRecordRef], description: 'Triage scores, oldest first.', resolve: (profile) => scoreHistoryOf(profile.scoreHistory) }),
    consent: t.exposeBoolean('consent', { description: 'False once the lead unsubscribed or withdrew consent.' }),
    doNotContact: t.exposeBoolean('doNotContact'),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.prismaObjectField('Lead', 'profile', (t) => t.relation('profile', { nullable: true, description: 'Long-term memory.' }));

const LeadProfileInputRef = builder.inputType('LeadProfileInput', {
  description: 'Omitted fields keep their stored value; attributes merge key by key (a null attribute is removed).',
  fields: (t) => ({
    attributes: t.field({ type: 'JSON', description: `A JSON object, at most ${ATTRIBUTES_MAX_BYTES} bytes; not null.` }),
    consent: t.boolean(),
    doNotContact: t.boolean(),
  }),
});

builder.mutationField('storeLeadProfile', (t) =>
  t.prismaField({
    type: 'LeadProfile',
    description: "Write to a lead's long-term profile. NotFoundError for an unknown lead.",
    authScopes: { processLeads: true },
    errors: { types: [NotFoundError] },
    ...writesPersonalData((args) => String(args.leadId)),
    args: { leadId: t.arg.id({ required: true }), input: t.arg({ type: LeadProfileInputRef, required: true }) },
    // Null is refused rather than ignored: omit a field to keep it.
    validate: z.looseObject({
      input: z.looseObject({ attributes: jsonObject(ATTRIBUTES_MAX_BYTES).optional(), consent: z.boolean().optional(), doNotContact: z.boolean().optional() }),
    }),
    resolve: async (query, _root, { leadId, input }, { services }) => {
      await services.memory.profiles.store(String(leadId), {
        ...(input.attributes ? { attributes: input.attributes as Record<string, never> } : {}),
        ...(typeof input.consent === 'boolean' ? { consent: input.consent } : {}),
        ...(typeof input.doNotContact === 'boolean' ? { doNotContact: input.doNotContact } : {}),
      });
      return services.prisma.leadProfile.findUniqueOrThrow({ ...query, where: { leadId: String(leadId) } });
    },
  }),
);
