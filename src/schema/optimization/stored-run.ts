// A stored OptimizationRun's review, typed. The row keeps the analysis as JSON
// (storedRun() in src/agents/optimization/optimization-agent.ts): `kpis` holds the
// KPIs with the breaches, the reported assessment and the thresholds beside them,
// `recommendations` the recommendations; dates are ISO strings and an unbounded
// robust z is null. Each row is parsed once however many fields read it, and a row
// that does not parse is a bug that fails loudly rather than answering a wrong shape.
import { z } from 'zod';
import type { HistoryCheck } from '../../agents/optimization/anomalies.js';
import type { CampaignKpis } from '../../agents/optimization/kpis.js';
import type { Breach, Recommendation } from '../../agents/optimization/recommendation.js';
import type { ReportedKpis } from '../../agents/optimization/reported-kpis.js';
import type { OptimizationThresholds } from '../../agents/optimization/thresholds.js';
import type { OptimizationRun } from '../../db/generated/prisma/client.js';
import type { ReportedAssessmentView } from './reported.js';
import type { OptimizationReview } from './review.js';

const date = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
const rate = z.number().nullable();
const counts = { impressions: z.number(), clicks: z.number(), conversions: z.number(), spendUsd: z.number(), revenueUsd: z.number() };
const kpiValues = { ...counts, ctr: rate, cvr: rate, cplUsd: rate, roas: rate };
const kpiName = z.enum(['ctr', 'cvr', 'cpl_usd', 'roas']);
const evidence = z.record(z.string(), z.union([z.number(), z.string(), z.null()]));

const campaignKpis = z.object({
  overall: z.object(kpiValues),
  byChannel: z.array(z.object({ channel: z.string(), ...kpiValues })),
  byVariant: z.array(z.object({ variant: z.string(), ...kpiValues })),
  byPeriod: z.array(z.object({ periodStart: date, periodEnd: date, ...kpiValues })),
}) satisfies z.ZodType<CampaignKpis, unknown>;

const breach = z.object({
  kpi: z.enum(['roas', 'cpl_usd']),
  scope: z.enum(['latest_period', 'reported']),
  observed: z.number(),
  threshold: z.number(),
  severity: z.enum(['warning', 'critical']),
  summary: z.string(),
  evidence,
}) satisfies z.ZodType<Breach, unknown>;

const historyCheck = z.object({
  kpi: kpiName,
  value: z.number(),
  historyPeriods: z.number(),
  sufficient: z.boolean(),
  median: z.number().nullable(),
  mad: z.number().nullable(),
  scale: z.number().nullable(),
  scaleMethod: z.enum(['mad', 'mean-absolute-deviation', 'none']).nullable(),
  z: z.number().nullable(),
  relativeChange: z.number().nullable(),
  materialChange: z.boolean(),
  anomalous: z.boolean(),
  direction: z.enum(['up', 'down']).nullable(),
  confidence: z.number().nullable(),
  pValue: z.number().nullable(),
}) satisfies z.ZodType<HistoryCheck, unknown>;

const reportedKpis = z.object({
  roas: z.number().optional(),
  ctr: z.number().optional(),
  cvr: z.number().optional(),
  cplUsd: z.number().optional(),
  impressions: z.number().optional(),
  clicks: z.number().optional(),
  conversions: z.number().optional(),
  spendUsd: z.number().optional(),
  revenueUsd: z.number().optional(),
  channel: z.string().optional(),
  variant: z.string().optional(),
  periodStart: date.optional(),
  periodEnd: date.optional(),
}) satisfies z.ZodType<ReportedKpis, unknown>;

const reportedAssessment = z.object({
  reported: reportedKpis,
  hasCounts: z.boolean(),
  historyScope: z.string(),
  comparisons: z.array(
    z.object({
      kpi: kpiName,
      value: z.number(),
      source: z.enum(['reported', 'derived']),
      threshold: z.number().nullable(),
      crossesThreshold: z.boolean().nullable(),
      significant: z.boolean().nullable(),
      history: historyCheck,
      note: z.string(),
    }),
  ),
  note: z.string(),
}) satisfies z.ZodType<ReportedAssessmentView, unknown>;

const thresholds = z.object({
  roasFloor: z.number(),
  roasScaleTarget: z.number(),
  cplSpikeZ: z.number(),
  anomalyZ: z.number(),
  minAnomalyRelativeChange: z.number(),
  minHistoryPeriods: z.number(),
  minClicksPerVariant: z.number(),
  minConversionsPerComparison: z.number(),
  significanceLevel: z.number(),
  minClicksForRoasBound: z.number(),
  minBudgetConfidence: z.number(),
  budgetMaxShift: z.number(),
  cplCeilingUsd: z.number().nullable(),
}) satisfies z.ZodType<OptimizationThresholds, unknown>;

const storedKpis = campaignKpis.extend({ breaches: z.array(breach), reported: reportedAssessment.nullable(), thresholds });

const recommendations = z.array(
  z.object({
    type: z.enum(['variant_winner', 'anomaly', 'budget_reallocation', 'pause', 'scale', 'insufficient_data']),
    target: z.string(),
    summary: z.string(),
    confidence: z.number(),
    evidence,
    expectedEffect: z
      .object({ metric: z.string(), change: z.number(), unit: z.string(), interval95: z.tuple([z.number(), z.number()]).nullable(), description: z.string() })
      .optional(),
  }),
) satisfies z.ZodType<Recommendation[], unknown>;

const parsed = new WeakMap<OptimizationRun, OptimizationReview>();

/** The review `run` recorded. */
export function storedReview(run: OptimizationRun): OptimizationReview {
  let review = parsed.get(run);
  if (!review) {
    const { breaches, reported, thresholds: applied, ...kpis } = storedKpis.parse(run.kpis);
    const recommended = recommendations.parse(run.recommendations);
    review = {
      dataSufficient: run.dataSufficient,
      kpis,
      recommendations: recommended,
      breaches,
      insufficient: recommended.filter((r) => r.type === 'insufficient_data').map((r) => r.summary),
      reported,
      thresholds: applied,
    };
    parsed.set(run, review);
  }
  return review;
}
