// The manager queue: open escalations, and a manager's decision on one.
import { z } from 'zod';
import { ConflictError, NotFoundError } from '../errors.js';
import { OPEN_ESCALATIONS } from '../agents/handoff/escalation-desk.js';
import { builder } from './builder.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageSize } from './page-size.js';

const EscalationDecisionEnum = builder.enumType('EscalationDecision', {
  description: 'APPROVE continues the interrupted flow; REJECT ends it; REASSIGN hands the decision to someone else.',
  values: ['APPROVE', 'REJECT', 'REASSIGN'] as const,
});

builder.queryField('escalations', (t) =>
  t.prismaConnection({
    type: 'Handoff',
    cursor: 'id',
    description: 'Escalations waiting for a manager, oldest first.',
    authScopes: { read: true },
    maxSize: MAX_PAGE_SIZE,
    defaultSize: DEFAULT_PAGE_SIZE,
    validate: z.looseObject({ first: pageSize, last: pageSize }),
    resolve: (query, _root, _args, { services }) =>
      services.prisma.handoff.findMany({ ...query, where: OPEN_ESCALATIONS, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
  }),
);

builder.mutationField('resolveEscalation', (t) =>
  t.prismaField({
    type: 'Handoff',
    description:
      'Decide an open escalation (roles manager and admin). The decision, its author and note are stored and published as handoff events. ' +
      "APPROVE continues what the escalation interrupted: a lead's held-back engagement runs; a campaign review's recommendations are applied " +
      "to engagement (pauses, and the loser of a variant winner, remove those arms from the choices for the campaign's leads; a budget " +
      "reallocation sets each engagement channel's share of the campaign's new sequences), handed over as an OPTIMIZATION_TO_ENGAGEMENT " +
      'handoff (see `children`) that the engagement agent applies. NotFoundError for an unknown escalation; ConflictError for one already decided.',
    authScopes: { resolveEscalations: true },
    errors: { types: [NotFoundError, ConflictError] },
    args: {
      id: t.arg.id({ required: true }),
      decision: t.arg({ type: EscalationDecisionEnum, required: true }),
      note: t.arg.string(),
      reassignTo: t.arg.string({ description: 'REASSIGN only: the agent or manager who decides instead.' }),
    },
    validate: z.looseObject({
      id: z.uuid('must be a handoff id (a UUID)'),
      note: z.string().trim().max(1000, 'must be at most 1000 characters').nullish(),
      reassignTo: z.string().trim().min(1, 'must not be empty').max(128).nullish(),
    }),
    resolve: async (query, _root, { id, decision, note, reassignTo }, { services, principal }) => {
      const resolved = await services.escalations.resolve({
        escalationId: String(id),
        decision,
        by: principal.subject,
        note: note ?? null,
        reassignTo: reassignTo ?? null,
      });
      return services.prisma.handoff.findUniqueOrThrow({ ...query, where: { id: resolved.id } });
    },
  }),
);
