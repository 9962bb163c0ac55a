// A budget reallocation's proposal per channel, typed. The agent writes one set of
// `channel.<name>.<quantity>` entries per channel into the recommendation's evidence
// (budgetEvidence() in src/agents/optimization/budget.ts); this reads them back.
import { z } from 'zod';
import type { Recommendation } from '../../agents/optimization/recommendation.js';
import { builder } from '../builder.js';
import { ElasticitySourceEnum } from './enums.js';

const channelEvidence = z.object({
  current_spend_usd: z.number(),
  proposed_spend_usd: z.number(),
  current_roas: z.number().nullable(),
  marginal_roas: z.number().nullable(),
  proposed_marginal_roas: z.number().nullable(),
  elasticity: z.number().nullable(),
  elasticity_source: z.enum(['fitted', 'default', 'none']),
  elasticity_fit_points: z.number().int().nullable(),
  elasticity_fit_r_squared: z.number().nullable(),
  expected_revenue_change_usd: z.number(),
  notes: z.string(),
});

export interface BudgetMove extends z.infer<typeof channelEvidence> {
  channel: string;
}

const QUANTITY = new RegExp(`^channel\\.(.+)\\.(${Object.keys(channelEvidence.shape).join('|')})$`);

/** The channels of a recommendation about the budget split (target `channels`); null for any other, or one that proposes no split. */
export function budgetMovesOf(recommendation: Recommendation): BudgetMove[] | null {
  if (recommendation.target !== 'channels') return null;
  const channels = new Map<string, Record<string, unknown>>();
  for (const [key, value] of Object.entries(recommendation.evidence)) {
    const match = QUANTITY.exec(key);
    if (!match) continue;
    const [, channel, quantity] = match as unknown as [string, string, string];
    channels.set(channel, { ...channels.get(channel), [quantity]: value });
  }
  if (channels.size === 0) return null;
  // By channel name, as the agent allocates: a stored run's evidence comes back in the database's key order.
  return [...channels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([channel, quantities]) => ({ channel, ...channelEvidence.parse(quantities) }));
}

export const BudgetMoveRef = builder.objectRef<BudgetMove>('BudgetMove').implement({
  description:
    "One channel's spend now and as proposed, with the marginal ROAS that ranks it (revenue = a·spend^b per channel; the total budget " +
    'is unchanged and no channel moves more than budgetMaxShift per step). Unchanged channels are listed too.',
  fields: (t) => ({
    channel: t.exposeString('channel'),
    currentSpendUsd: t.exposeFloat('current_spend_usd', { description: "The latest period's spend." }),
    proposedSpendUsd: t.exposeFloat('proposed_spend_usd'),
    changeUsd: t.float({ description: 'proposedSpendUsd − currentSpendUsd.', resolve: (m) => m.proposed_spend_usd - m.current_spend_usd }),
    currentRoas: t.exposeFloat('current_roas', { nullable: true }),
    marginalRoas: t.exposeFloat('marginal_roas', { nullable: true, description: 'Revenue from the next dollar at the current spend (b·ROAS).' }),
    proposedMarginalRoas: t.exposeFloat('proposed_marginal_roas', { nullable: true }),
    elasticity: t.exposeFloat('elasticity', { nullable: true, description: 'b in revenue = a·spend^b.' }),
    elasticitySource: t.expose('elasticity_source', { type: ElasticitySourceEnum }),
    elasticityFitPoints: t.exposeInt('elasticity_fit_points', { nullable: true }),
    elasticityFitRSquared: t.exposeFloat('elasticity_fit_r_squared', { nullable: true }),
    expectedRevenueChangeUsd: t.exposeFloat('expected_revenue_change_usd', { description: 'Modelled, per period.' }),
    notes: t.exposeString('notes'),
  }),
});
