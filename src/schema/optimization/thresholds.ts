// The thresholds a review applied: what counted as enough data, as significant and
// as a breach (configured once per deployment; see src/agents/optimization/thresholds.ts).
import type { OptimizationThresholds } from '../../agents/optimization/thresholds.js';
import { builder } from '../builder.js';

export const ThresholdsRef = builder.objectRef<OptimizationThresholds>('OptimizationThresholds').implement({
  description: 'The thresholds the review applied.',
  fields: (t) => ({
    roasFloor: t.exposeFloat('roasFloor', { description: 'ROAS below this is a loss; a significant shortfall is a breach, and pause advice.' }),
    roasScaleTarget: t.exposeFloat('roasScaleTarget', { description: "Scale advice when a variant's or channel's ROAS lower 95 % bound exceeds this." }),
    cplSpikeZ: t.exposeFloat('cplSpikeZ', { description: "A CPL robust z at or above this, against the campaign's history, is a CPL spike breach." }),
    anomalyZ: t.exposeFloat('anomalyZ', { description: '|robust z| at or above this flags an anomaly.' }),
    minAnomalyRelativeChange: t.exposeFloat('minAnomalyRelativeChange', {
      description: 'An anomaly also needs |value − median| at least this fraction of |median|.',
    }),
    minHistoryPeriods: t.exposeInt('minHistoryPeriods', { description: 'Earlier periods needed before the latest one is judged against them.' }),
    minClicksPerVariant: t.exposeInt('minClicksPerVariant', { description: 'Clicks each variant needs before a winner can be declared.' }),
    minConversionsPerComparison: t.exposeInt('minConversionsPerComparison', { description: 'Conversions both variants of a comparison need together.' }),
    significanceLevel: t.exposeFloat('significanceLevel', { description: 'Family-wise α of the variant tests (Bonferroni-split).' }),
    minClicksForRoasBound: t.exposeInt('minClicksForRoasBound', {
      description: 'Clicks a variant or channel needs before its ROAS interval backs pause or scale advice.',
    }),
    minBudgetConfidence: t.exposeFloat('minBudgetConfidence', { description: 'Least confidence for a budget reallocation.' }),
    budgetMaxShift: t.exposeFloat('budgetMaxShift', { description: "Largest relative change of a channel's spend in one reallocation." }),
    cplCeilingUsd: t.exposeFloat('cplCeilingUsd', { nullable: true, description: 'An absolute CPL ceiling, USD; null: none.' }),
  }),
});
