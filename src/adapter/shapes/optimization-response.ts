// The response of `POST /api/v1/campaigns/{campaign_id}/optimize` (the specification
// references `OptimizationResponse` without defining it; this is its definition): its
// zod schema (the type, and the JSON Schemas OpenAPI, OpenRPC and MCP publish) and the
// mapper from GraphQL's OptimizationResult. snake_case throughout: GraphQL's enum
// values in lower case (`BUDGET_REALLOCATION` → `budget_reallocation`), its evidence
// items as one object (`[{ name, value, text }]` → `{ [name]: value or text }`).
//
// Numbers are finite or null: a KPI over a zero denominator is null (e.g. CPL without
// conversions). Every recommendation states its `confidence` in [0, 1] and its
// `evidence` (sample sizes, intervals, p-values or posterior probabilities); an
// `insufficient_data` recommendation makes no claim (confidence 0) and says what is
// missing. `breaches` are significant threshold breaches; `escalated` is true when the
// caller raised a manager escalation for them (`escalation_id`).
import { z } from 'zod';
import type { EvidenceFieldsFragment, KpiValuesFieldsFragment, OptimizeCampaignMutation } from '../__generated__/operations.js';
import { count, dateTime, orNull } from './fields.js';
import { named } from './named-shapes.js';
import { reportedMetricsSchema, type ReportedMetrics } from './optimization-request.js';

/** A ratio over a zero denominator has no value: null. */
const ratio = (description: string) => orNull(z.number(), description);

const kpiValues = {
  impressions: count(),
  clicks: count(),
  conversions: count(),
  spend_usd: z.number().min(0),
  revenue_usd: z.number().min(0),
  ctr: ratio('clicks/impressions; null without impressions.'),
  cvr: ratio('conversions/clicks; null without clicks.'),
  cpl_usd: ratio('spend/conversions (cost per lead); null without conversions.'),
  roas: ratio('revenue/spend; null without spend.'),
};

const kpiSnapshotSchema = z.object(kpiValues).describe('All stored snapshots.');
export type KpiSnapshot = z.infer<typeof kpiSnapshotSchema>;

const kpisSchema = z.object({
  overall: kpiSnapshotSchema,
  by_channel: z.array(z.object({ channel: z.string(), ...kpiValues }).describe('One channel, all variants and periods.')),
  by_variant: z.array(z.object({ variant: z.string(), ...kpiValues }).describe('One variant, all channels and periods.')),
  by_period: z
    .array(z.object({ period_start: dateTime(), period_end: dateTime(), ...kpiValues }).describe('One period, all channels and variants.'))
    .describe('The time series, oldest first.'),
});

/** A number (null when it has no value), or a word. */
const evidenceSchema = z
  .record(z.string(), z.union([orNull(z.number(), 'A number; null when it has no value (e.g. a ratio over zero).'), z.string()]))
  .describe('The numbers the claim rests on, by snake_case name: sample sizes, rates, intervals, z, p-values, posterior probabilities.');

const expectedEffectSchema = z.object({
  metric: z.string(),
  change: z.number(),
  unit: z.string(),
  interval_95: z.array(z.number()).length(2).nullable().describe('[low, high]; null when there is none.'),
  description: z.string(),
});
export type ExpectedEffectDto = z.infer<typeof expectedEffectSchema>;

const recommendationSchema = named(
  'OptimizationRecommendation',
  z.object({
    type: z.enum(['variant_winner', 'anomaly', 'budget_reallocation', 'pause', 'scale', 'insufficient_data']),
    target: z.string().describe("campaign, variant:<name>, channel:<name>, channels (a reallocation) or reported (the request's KPI report)."),
    summary: z.string(),
    confidence: z
      .number()
      .min(0)
      .max(1)
      .describe(
        'variant_winner: P(winner beats loser); pause/scale: P(ROAS below the floor / above the target); budget_reallocation: P(every channel gaining budget has the higher marginal ROAS); anomaly: 1 − p (Student-t approximation); insufficient_data: 0 (no claim).',
      ),
    evidence: evidenceSchema,
    expected_effect: expectedEffectSchema.optional(),
  }),
);
export type RecommendationDto = z.infer<typeof recommendationSchema>;

/**
 * GraphQL's Kpi has four values; breaches are only ever about ROAS and CPL (the KPIs
 * with thresholds). The mapper checks it, so a new kind fails loudly rather than
 * answering what the published schema rules out.
 */
const breachKpiSchema = z.enum(['roas', 'cpl_usd']);

const breachSchema = named(
  'OptimizationBreach',
  z
    .object({
      kpi: breachKpiSchema,
      scope: z.enum(['latest_period', 'reported']),
      observed: z.number(),
      threshold: z
        .number()
        .describe(
          'The ROAS floor, the CPL ceiling (USD), or the CPL spike level (USD): the history median plus cpl_spike_z robust standard deviations (at least min_anomaly_relative_change above the median).',
        ),
      severity: z.enum(['warning', 'critical']),
      summary: z.string(),
      evidence: evidenceSchema,
    })
    .describe('A KPI past a configured threshold with significance: the reason for a PERFORMANCE_THRESHOLD escalation.'),
);
export type BreachDto = z.infer<typeof breachSchema>;

const reportedComparisonSchema = z.object({
  kpi: z.enum(['ctr', 'cvr', 'cpl_usd', 'roas']),
  value: z.number(),
  source: z.enum(['reported', 'derived']),
  threshold: orNull(z.number(), 'The threshold the KPI is held to; null when it has none.'),
  crosses_threshold: orNull(z.boolean(), 'null when the KPI has no threshold.'),
  significant: orNull(z.boolean(), 'null: no threshold, or no counts to test the crossing with.'),
  history_periods: count(),
  history_median: orNull(z.number(), 'null without history.'),
  robust_z: orNull(z.number(), 'null when the history is too short or has no spread (see note).'),
  anomalous: z.boolean(),
  note: z.string(),
});

const reportedAssessmentSchema = z
  .object({
    metrics: reportedMetricsSchema,
    has_counts: z.boolean().describe('False: a KPI-only report, which cannot establish significance against a threshold on its own.'),
    history_scope: z.string(),
    comparisons: z.array(reportedComparisonSchema),
    note: z.string(),
  })
  .describe("The request's reported KPI snapshot judged against the thresholds and the stored history; null without one.");
export type ReportedAssessmentDto = z.infer<typeof reportedAssessmentSchema>;

const thresholdsSchema = z.object({
  roas_floor: z.number(),
  roas_scale_target: z.number(),
  cpl_spike_z: z.number(),
  anomaly_z: z.number(),
  min_anomaly_relative_change: z.number(),
  min_history_periods: count(),
  min_clicks_per_variant: count(),
  min_conversions_per_comparison: count(),
  significance_level: z.number(),
  min_clicks_for_roas_bound: count(),
  min_budget_confidence: z.number(),
  budget_max_shift: z.number(),
  cpl_ceiling_usd: orNull(z.number(), 'The CPL ceiling, USD; null when none is configured.'),
});

export const optimizationResponseSchema = named(
  'OptimizationResponse',
  z
    .object({
      campaign_id: z.string(),
      analyzed_at: dateTime(),
      data_sufficient: z.boolean().describe('At least one analysis had enough data to reach a verdict.'),
      kpis: kpisSchema,
      recommendations: z.array(recommendationSchema),
      breaches: z.array(breachSchema),
      insufficient_data: z.array(z.string()).describe('What data is missing, in words (the insufficient_data summaries).'),
      reported: reportedAssessmentSchema.nullable(),
      thresholds: thresholdsSchema,
      escalated: z.boolean(),
      escalation_id: z.uuid().nullable().describe('The manager escalation raised for the breaches; null when none was.'),
      optimization_run_id: z.uuid().nullable().describe('The stored OptimizationRun, when recorded.'),
    })
    .describe(
      'KPIs (CTR, CVR, CPL, ROAS) overall, per channel, per variant and per period, recommendations with their evidence and confidence, ' +
        'significant threshold breaches, and whether they were escalated to a manager.',
    ),
);
export type OptimizationResponse = z.infer<typeof optimizationResponseSchema>;

// ---------------------------------------------------------------- mapper

/** The success member of optimizeCampaign's result (a NotFoundError never reaches a mapper). */
export type OptimizationResult = Extract<OptimizeCampaignMutation['optimizeCampaign'], { __typename: 'OptimizationResult' }>;
type RecommendationFields = OptimizationResult['recommendations'][number];
type BreachFields = OptimizationResult['breaches'][number];
type ReportedFields = NonNullable<OptimizationResult['reported']>;

/** GraphQL's enum value as the wire's word. */
function wire<T extends string>(value: T): Lowercase<T> {
  return value.toLowerCase() as Lowercase<T>;
}

function kpiSnapshotOf(k: KpiValuesFieldsFragment): KpiSnapshot {
  return {
    impressions: k.impressions,
    clicks: k.clicks,
    conversions: k.conversions,
    spend_usd: k.spendUsd,
    revenue_usd: k.revenueUsd,
    ctr: k.ctr,
    cvr: k.cvr,
    cpl_usd: k.cplUsd,
    roas: k.roas,
  };
}

function evidenceOf(items: readonly EvidenceFieldsFragment[]): Record<string, number | string | null> {
  return Object.fromEntries(items.map((item) => [item.name, item.value ?? item.text]));
}

function recommendationDto(r: RecommendationFields): RecommendationDto {
  const effect = r.expectedEffect;
  return {
    type: wire(r.type),
    target: r.target,
    summary: r.summary,
    confidence: r.confidence,
    evidence: evidenceOf(r.evidence),
    ...(effect
      ? {
          expected_effect: {
            metric: effect.metric,
            change: effect.change,
            unit: effect.unit,
            interval_95: effect.interval95 ? [effect.interval95.low, effect.interval95.high] : null,
            description: effect.description,
          },
        }
      : {}),
  };
}

function breachDto(b: BreachFields): BreachDto {
  return {
    kpi: breachKpiSchema.parse(wire(b.kpi)),
    scope: wire(b.scope),
    observed: b.observed,
    threshold: b.threshold,
    severity: wire(b.severity),
    summary: b.summary,
    evidence: evidenceOf(b.evidence),
  };
}

function reportedDto(a: ReportedFields): ReportedAssessmentDto {
  const r = a.reported;
  const metrics: ReportedMetrics = {};
  if (r.roas !== null) metrics.roas = r.roas;
  if (r.ctr !== null) metrics.ctr = r.ctr;
  if (r.cvr !== null) metrics.cvr = r.cvr;
  if (r.cplUsd !== null) metrics.cpl_usd = r.cplUsd;
  if (r.impressions !== null) metrics.impressions = r.impressions;
  if (r.clicks !== null) metrics.clicks = r.clicks;
  if (r.conversions !== null) metrics.conversions = r.conversions;
  if (r.spendUsd !== null) metrics.spend_usd = r.spendUsd;
  if (r.revenueUsd !== null) metrics.revenue_usd = r.revenueUsd;
  if (r.channel !== null) metrics.channel = r.channel;
  if (r.variant !== null) metrics.variant = r.variant;
  if (r.periodStart !== null) metrics.period_start = r.periodStart;
  if (r.periodEnd !== null) metrics.period_end = r.periodEnd;
  return {
    metrics,
    has_counts: a.hasCounts,
    history_scope: a.historyScope,
    comparisons: a.comparisons.map((c) => ({
      kpi: wire(c.kpi),
      value: c.value,
      source: wire(c.source),
      threshold: c.threshold,
      crosses_threshold: c.crossesThreshold,
      significant: c.significant,
      history_periods: c.history.historyPeriods,
      history_median: c.history.median,
      robust_z: c.history.robustZ,
      anomalous: c.history.anomalous,
      note: c.note,
    })),
    note: a.note,
  };
}

/** The documented response for one optimizeCampaign result. */
export function toOptimizationResponse(result: OptimizationResult): OptimizationResponse {
  const t = result.thresholds;
  return {
    campaign_id: result.campaignId,
    analyzed_at: result.analyzedAt,
    data_sufficient: result.dataSufficient,
    kpis: {
      overall: kpiSnapshotOf(result.kpis.overall),
      by_channel: result.kpis.byChannel.map((k) => ({ channel: k.channel, ...kpiSnapshotOf(k) })),
      by_variant: result.kpis.byVariant.map((k) => ({ variant: k.variant, ...kpiSnapshotOf(k) })),
      by_period: result.kpis.byPeriod.map((k) => ({ period_start: k.periodStart, period_end: k.periodEnd, ...kpiSnapshotOf(k) })),
    },
    recommendations: result.recommendations.map(recommendationDto),
    breaches: result.breaches.map(breachDto),
    insufficient_data: [...result.insufficientData],
    reported: result.reported ? reportedDto(result.reported) : null,
    thresholds: {
      roas_floor: t.roasFloor,
      roas_scale_target: t.roasScaleTarget,
      cpl_spike_z: t.cplSpikeZ,
      anomaly_z: t.anomalyZ,
      min_anomaly_relative_change: t.minAnomalyRelativeChange,
      min_history_periods: t.minHistoryPeriods,
      min_clicks_per_variant: t.minClicksPerVariant,
      min_conversions_per_comparison: t.minConversionsPerComparison,
      significance_level: t.significanceLevel,
      min_clicks_for_roas_bound: t.minClicksForRoasBound,
      min_budget_confidence: t.minBudgetConfidence,
      budget_max_shift: t.budgetMaxShift,
      cpl_ceiling_usd: t.cplCeilingUsd,
    },
    escalated: result.escalation !== null,
    escalation_id: result.escalation?.id ?? null,
    optimization_run_id: result.run.id,
  };
}
