// An ANOMALY recommendation's finding, typed: the KPI, its value, and the history
// it was judged against. Read from the recommendation's evidence, which the agent
// writes with checkEvidence() (src/agents/optimization/anomalies.ts) for live and
// stored reviews alike.
import { z } from 'zod';
import type { Recommendation } from '../../agents/optimization/recommendation.js';
import { builder } from '../builder.js';
import { DirectionEnum, KpiEnum, KpiScopeEnum, RobustScaleMethodEnum } from './enums.js';

const anomalyEvidence = z.object({
  kpi: z.enum(['ctr', 'cvr', 'cpl_usd', 'roas']),
  value: z.number(),
  history_periods: z.number().int(),
  history_median: z.number(),
  history_mad: z.number().nullable(),
  scale_method: z.enum(['mad', 'mean-absolute-deviation', 'none']).nullable(),
  robust_z: z.number().nullable(),
  relative_change: z.number().nullable(),
  p_value_t_approx: z.number().nullable(),
});

export interface KpiAnomaly extends z.infer<typeof anomalyEvidence> {
  scope: 'latest_period' | 'reported';
}

/** The anomaly an ANOMALY recommendation reports; null for any other type. */
export function anomalyOf(recommendation: Recommendation): KpiAnomaly | null {
  if (recommendation.type !== 'anomaly') return null;
  return { ...anomalyEvidence.parse(recommendation.evidence), scope: recommendation.target === 'reported' ? 'reported' : 'latest_period' };
}

export const KpiAnomalyRef = builder.objectRef<KpiAnomaly>('KpiAnomaly').implement({
  description:
    "A KPI far from the campaign's own earlier periods: |robust z| at or above the anomaly threshold, and a material change " +
    '(at least minAnomalyRelativeChange of the median).',
  fields: (t) => ({
    kpi: t.expose('kpi', { type: KpiEnum }),
    scope: t.expose('scope', { type: KpiScopeEnum, description: 'LATEST_PERIOD: the stored latest period; REPORTED: the KPI report.' }),
    value: t.exposeFloat('value'),
    historyPeriods: t.exposeInt('history_periods', { description: 'Earlier periods with the KPI defined.' }),
    historyMedian: t.exposeFloat('history_median'),
    historyMad: t.exposeFloat('history_mad', { nullable: true, description: 'Median absolute deviation of the history.' }),
    scaleMethod: t.expose('scale_method', { type: RobustScaleMethodEnum, nullable: true }),
    robustZ: t.exposeFloat('robust_z', { nullable: true, description: '(value − median) / robust σ; null when unbounded (robustZUnbounded).' }),
    robustZUnbounded: t.boolean({
      description: 'Every earlier period had the same value, so any change is infinitely many σ away.',
      resolve: (a) => a.robust_z === null,
    }),
    relativeChange: t.exposeFloat('relative_change', { nullable: true, description: '(value − median) / |median|; null when the median is 0.' }),
    pValue: t.exposeFloat('p_value_t_approx', {
      nullable: true,
      description: "Two-sided, Student's t with (history periods − 1) degrees of freedom at z: an approximation.",
    }),
    direction: t.field({ type: DirectionEnum, resolve: (a) => (a.value > a.history_median ? 'up' : 'down') }),
    adverse: t.boolean({
      description: 'The move hurts: CPL up, or CTR, CVR or ROAS down. Otherwise an unusual improvement (confirm tracking, then learn from it).',
      resolve: (a) => (a.kpi === 'cpl_usd' ? a.value > a.history_median : a.value < a.history_median),
    }),
  }),
});
