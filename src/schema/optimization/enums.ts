// The optimization agent's vocabularies as GraphQL enums. Each GraphQL name maps
// to the agent's own value (`ROAS` ↔ 'roas'), so resolvers return agent data as
// it is and the wire shapes (REST, JSON-RPC) keep their snake_case words.
import type { RobustScale } from '../../statistics/robust-z.js';
import type { ChannelAllocation } from '../../statistics/budget-allocation.js';
import type { KpiName } from '../../agents/optimization/kpis.js';
import type { Breach, RecommendationType } from '../../agents/optimization/recommendation.js';
import { builder } from '../builder.js';

/** `{ ROAS: { value: 'roas' } }` from a map of GraphQL names to agent values, with each value's description. */
function values<T extends string>(table: Record<string, readonly [value: T, description?: string]>): Record<string, { value: T; description?: string }> {
  return Object.fromEntries(Object.entries(table).map(([name, [value, description]]) => [name, { value, ...(description ? { description } : {}) }]));
}

export const KpiEnum = builder.enumType('Kpi', {
  description: 'A campaign KPI. Over a zero denominator a KPI is undefined (null), never 0 or infinite.',
  values: values<KpiName>({
    CTR: ['ctr', 'Click-through rate: clicks / impressions.'],
    CVR: ['cvr', 'Conversion rate: conversions / clicks.'],
    CPL_USD: ['cpl_usd', 'Cost per lead: spend / conversions, USD.'],
    ROAS: ['roas', 'Return on ad spend: revenue / spend.'],
  }),
});

export const RecommendationTypeEnum = builder.enumType('RecommendationType', {
  values: values<RecommendationType>({
    PAUSE: ['pause', 'A variant or channel whose ROAS is below the floor even at its 95 % upper bound.'],
    VARIANT_WINNER: ['variant_winner', 'A variant that converts significantly better than another.'],
    BUDGET_REALLOCATION: ['budget_reallocation', 'The same budget moved between channels toward the higher marginal ROAS.'],
    SCALE: ['scale', 'A variant or channel whose ROAS beats the scale target even at its 95 % lower bound.'],
    ANOMALY: ['anomaly', "A KPI far from the campaign's own history (robust z)."],
    INSUFFICIENT_DATA: ['insufficient_data', 'No claim: what data is missing for one (confidence 0).'],
  }),
});

export const KpiScopeEnum = builder.enumType('KpiScope', {
  description: 'Where a KPI was observed.',
  values: values<Breach['scope']>({
    LATEST_PERIOD: ['latest_period', "The stored metrics' latest period."],
    REPORTED: ['reported', 'The KPI report sent with the request (judged, not stored).'],
  }),
});

export const BreachSeverityEnum = builder.enumType('BreachSeverity', {
  values: values<Breach['severity']>({
    WARNING: ['warning'],
    CRITICAL: ['critical', 'ROAS below half the floor, a CPL robust z at least twice the spike threshold (or unbounded), or CPL above twice the ceiling.'],
  }),
});

export type TargetKind = 'campaign' | 'variant' | 'channel' | 'channels' | 'reported';

export const TargetKindEnum = builder.enumType('RecommendationTargetKind', {
  description: 'What a recommendation is about.',
  values: values<TargetKind>({
    CAMPAIGN: ['campaign', 'The campaign as a whole.'],
    VARIANT: ['variant', 'One variant (targetName).'],
    CHANNEL: ['channel', 'One channel (targetName).'],
    CHANNELS: ['channels', 'The split of the budget across channels.'],
    REPORTED: ['reported', 'The KPI report sent with the request.'],
  }),
});

export const KpiSourceEnum = builder.enumType('KpiSource', {
  values: values<'reported' | 'derived'>({ REPORTED: ['reported', 'As reported.'], DERIVED: ['derived', 'Computed from the reported counts.'] }),
});

export const DirectionEnum = builder.enumType('ChangeDirection', {
  values: values<'up' | 'down'>({ UP: ['up'], DOWN: ['down'] }),
});

export const RobustScaleMethodEnum = builder.enumType('RobustScaleMethod', {
  description: 'The spread estimate behind a robust z: the median absolute deviation, or the mean absolute deviation when the MAD is 0.',
  values: values<RobustScale['method']>({
    MAD: ['mad'],
    MEAN_ABSOLUTE_DEVIATION: ['mean-absolute-deviation'],
    NONE: ['none', 'Every earlier value was the same: no spread, z unbounded for any change.'],
  }),
});

export const ElasticitySourceEnum = builder.enumType('ElasticitySource', {
  description: "Where a channel's spend elasticity (the b of revenue = a·spend^b) came from.",
  values: values<ChannelAllocation['elasticitySource']>({
    FITTED: ['fitted', "Fitted on the channel's own history."],
    DEFAULT: ['default', 'Assumed: too little history to fit.'],
    NONE: ['none', 'No current spend: no operating point.'],
  }),
});
