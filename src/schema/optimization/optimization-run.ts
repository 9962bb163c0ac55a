// A stored review of a campaign (Campaign.optimizations, OptimizationResult.run),
// with the review's typed fields read from the row (stored-run.ts).
import { builder } from '../builder.js';
import { reviewFields } from './review.js';
import { storedReview } from './stored-run.js';

export const OptimizationRunRef = builder.prismaObject('OptimizationRun', {
  description: 'A review of a campaign by the optimization agent, as recorded.',
  fields: (t) => ({
    id: t.exposeID('id'),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the analysis ran.' }),
    escalation: t.relation('escalation', { nullable: true, description: 'The manager escalation its breaches raised, if any.' }),
  }),
});

builder.objectFields(OptimizationRunRef, (t) => reviewFields(t, storedReview));
