// provideHandoffContext: an operator answers the quality gate's request for a
// handoff's missing context (CONTEXT_REQUESTED). The resolver stays thin: the
// service (src/agents/handoff/context-supply.ts) scores, stores and resumes.
import { z } from 'zod';
import { leadInputSchema } from '../domain/lead.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { builder } from './builder.js';
import { writesPersonalData } from './pii-masking.js';
import { PersonaEnum } from './enums.js';

const HandoffContextInputRef = builder.inputType('HandoffContextInput', {
  description: 'Lead fields the receiving agent needs; give at least one. A field given replaces what the packet carried.',
  fields: (t) => ({
    email: t.string({ description: 'An address the lead consented to be reached on (covers reachableChannel).' }),
    phone: t.string({ description: 'A phone number the lead consented to be reached on, 7 to 15 digits (covers reachableChannel).' }),
    persona: t.field({ type: PersonaEnum, description: 'Who the lead is (covers persona).' }),
    source: t.string({ description: 'Where the lead came from.' }),
  }),
});

const { email, phone, source } = leadInputSchema.shape;

builder.mutationField('provideHandoffContext', (t) =>
  t.prismaField({
    type: 'Handoff',
    description:
      'Supplies context the quality gate asked for: the handoff must be CONTEXT_REQUESTED (its packet scored not above 0.7 after enrichment from memory). ' +
      "The fields join the packet and it is scored again against the receiving agent's requirements. Above 0.7: the handoff becomes ENRICHED, " +
      "its job is queued on the receiving agent's queue again (the agent then validates, accepts and works on it) and its flow is IN_PROGRESS again. " +
      'Still not above 0.7: BAD_USER_INPUT naming the fields still needed, and nothing is stored. Operators and admins only. ' +
      'NotFoundError for an unknown handoff; ConflictError for one that is not waiting for context.',
    authScopes: { supplyContext: true },
    errors: { types: [NotFoundError, ConflictError] },
    ...writesPersonalData((_args, handoff) => handoff.leadId),
    args: {
      handoffId: t.arg.id({ required: true }),
      context: t.arg({ type: HandoffContextInputRef, required: true }),
    },
    validate: z.looseObject({
      handoffId: z.uuid('must be a handoff id (a UUID)'),
      context: z.looseObject({
        email: email.unwrap().unwrap().nullish(),
        phone: phone.unwrap().unwrap().nullish(),
        source: source.unwrap().unwrap().nullish(),
      }),
    }),
    resolve: async (query, _root, { handoffId, context }, { services, principal }) => {
      const resumed = await services.handoffContext.provide({
        handoffId: String(handoffId),
        by: principal.subject,
        context: {
          ...(context.email != null ? { email: context.email.trim() } : {}),
          ...(context.phone != null ? { phone: context.phone.trim() } : {}),
          ...(context.persona != null ? { persona: context.persona } : {}),
          ...(context.source != null ? { source: context.source.trim() } : {}),
        },
      });
      return services.prisma.handoff.findUniqueOrThrow({ ...query, where: { id: resumed.id } });
    },
  }),
);
