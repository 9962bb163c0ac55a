// A stored review of a campaign (Campaign.optimizations, OptimizationResult.run):
// the OptimizationReview fields read from the row's JSON (stored-run.ts), which
// Pothos loads with every scalar column since the type selects none by name.
import { builder } from '../builder.js';
import { OptimizationReviewRef } from './review.js';

builder.prismaObject('OptimizationRun', {
  description: 'A review of a campaign by the optimization agent, as recorded.',
  interfaces: [OptimizationReviewRef],
  fields: (t) => ({
    id: t.exposeID('id'),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the analysis ran.' }),
    escalation: t.relation('escalation', { nullable: true, description: 'The manager escalation its breaches raised, if any.' }),
  }),
});
