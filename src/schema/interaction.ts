// Interaction: a touchpoint Baton sent or a signal the lead gave; recording
// signals and outcomes, which is what the agents learn from.
import { z } from 'zod';
import { NotFoundError } from '../errors.js';
import { CLOCK_SKEW_MS, INTERACTION_METADATA_MAX_BYTES } from '../memory/interaction-log.js';
import { builder } from './builder.js';
import { pii, writesPersonalData } from './pii-masking.js';
import { ChannelEnum, InteractionTypeEnum, LeadOutcomeEnum } from './enums.js';
import { jsonObject } from './json-input.js';

export const InteractionRef = builder.prismaObject('Interaction', {
  fields: (t) => ({
    id: t.exposeID('id'),
    type: t.expose('type', { type: InteractionTypeEnum }),
    channel: t.expose('channel', { type: ChannelEnum, nullable: true }),
    agent: t.exposeString('agent', { nullable: true }),
    template: t.exposeString('template', { nullable: true }),
    // Stored sealed: opened here, then masked for a caller who may not see it in clear.
    subject: t.string({ nullable: true, ...pii('text'), resolve: (row, _args, { services }) => services.cipher.openOptional(row.subject) }),
    body: t.string({ nullable: true, ...pii('text'), resolve: (row, _args, { services }) => services.cipher.openOptional(row.body) }),
    metadata: t.field({ type: 'JSON', nullable: true, ...pii('json'), resolve: (row, _args, { services }) => services.cipher.openJson(row.metadata) }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
    lead: t.relation('lead'),
  }),
});

const notInTheFuture = z.date().refine((date) => date.getTime() <= Date.now() + CLOCK_SKEW_MS, 'must not be in the future');

const InteractionInputRef = builder.inputType('InteractionInput', {
  description: 'A signal from a lead (or a touchpoint sent outside Baton). CONVERTED and LOST also record the outcome; UNSUBSCRIBED withdraws consent at once.',
  fields: (t) => ({
    leadId: t.id({ required: true }),
    type: t.field({ type: InteractionTypeEnum, required: true }),
    channel: t.field({ type: ChannelEnum }),
    template: t.string({ description: 'The template the signal answers, when known.' }),
    occurredAt: t.field({ type: 'DateTime', description: 'Defaults to now; must not be in the future.' }),
    metadata: t.field({ type: 'JSON', description: `A JSON object, at most ${INTERACTION_METADATA_MAX_BYTES} bytes.` }),
  }),
});

builder.mutationField('recordInteraction', (t) =>
  t.prismaField({
    type: 'Interaction',
    description: 'Log a signal a lead gave; consolidation learns from it. NotFoundError for an unknown lead.',
    authScopes: { processLeads: true },
    errors: { types: [NotFoundError] },
    ...writesPersonalData((args) => String(args.input.leadId)),
    args: { input: t.arg({ type: InteractionInputRef, required: true }) },
    validate: z.looseObject({
      input: z.looseObject({
        template: z.string().trim().min(1).max(128).nullish(),
        metadata: jsonObject(INTERACTION_METADATA_MAX_BYTES).nullish(),
        occurredAt: notInTheFuture.nullish(),
      }),
    }),
    resolve: async (query, _root, { input }, { services }) => {
      const interaction = await services.memory.interactions.record({
        leadId: String(input.leadId),
        type: input.type,
        channel: input.channel ?? null,
        template: input.template ?? null,
        ...(input.occurredAt ? { occurredAt: input.occurredAt } : {}),
        ...(input.metadata ? { metadata: services.cipher.sealJson(input.metadata as Record<string, never>) } : {}),
      });
      return services.prisma.interaction.findUniqueOrThrow({ ...query, where: { id: interaction.id } });
    },
  }),
);

builder.mutationField('recordOutcome', (t) =>
  t.prismaField({
    type: 'Lead',
    description: 'Record how a lead ended. Outcomes teach the triage model at the next consolidation. NotFoundError for an unknown lead.',
    authScopes: { processLeads: true },
    errors: { types: [NotFoundError] },
    ...writesPersonalData((args) => String(args.leadId)),
    args: {
      leadId: t.arg.id({ required: true }),
      outcome: t.arg({ type: LeadOutcomeEnum, required: true }),
      occurredAt: t.arg({ type: 'DateTime', description: 'Defaults to now; must not be in the future.' }),
    },
    validate: z.looseObject({ occurredAt: notInTheFuture.nullish() }),
    resolve: async (query, _root, { leadId, outcome, occurredAt }, { services }) => {
      await services.memory.interactions.recordOutcome(String(leadId), outcome, occurredAt ?? undefined);
      return services.prisma.lead.findUniqueOrThrow({ ...query, where: { id: String(leadId) } });
    },
  }),
);
