// The response of `POST /api/v1/campaigns/{campaign_id}/optimize` (the specification
// references `OptimizationResponse` without defining it; this is its definition): the
// TypeScript type, its JSON Schema (OpenAPI 3.0: `nullable`, no type arrays), and the
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
import type {
  BreachSeverity,
  EvidenceFieldsFragment,
  Kpi,
  KpiScope,
  KpiSource,
  KpiValuesFieldsFragment,
  OptimizeCampaignMutation,
  RecommendationType,
} from '../__generated__/operations.js';
import type { ReportedMetrics } from './optimization-request.js';

export interface KpiSnapshot {
  impressions: number;
  clicks: number;
  conversions: number;
  spend_usd: number;
  revenue_usd: number;
  /** clicks/impressions; null without impressions. */
  ctr: number | null;
  /** conversions/clicks; null without clicks. */
  cvr: number | null;
  /** spend/conversions (cost per lead); null without conversions. */
  cpl_usd: number | null;
  /** revenue/spend; null without spend. */
  roas: number | null;
}

export interface OptimizationKpis {
  overall: KpiSnapshot;
  by_channel: (KpiSnapshot & { channel: string })[];
  by_variant: (KpiSnapshot & { variant: string })[];
  /** The time series, oldest period first. */
  by_period: (KpiSnapshot & { period_start: string; period_end: string })[];
}

export interface ExpectedEffectDto {
  metric: string;
  change: number;
  unit: string;
  interval_95: [number, number] | null;
  description: string;
}

export interface RecommendationDto {
  type: Lowercase<RecommendationType>;
  target: string;
  summary: string;
  confidence: number;
  evidence: Record<string, number | string | null>;
  expected_effect?: ExpectedEffectDto;
}

export interface BreachDto {
  /** roas or cpl_usd. */
  kpi: Lowercase<Kpi>;
  scope: Lowercase<KpiScope>;
  observed: number;
  threshold: number;
  severity: Lowercase<BreachSeverity>;
  summary: string;
  evidence: Record<string, number | string | null>;
}

export interface ReportedComparisonDto {
  kpi: Lowercase<Kpi>;
  value: number;
  source: Lowercase<KpiSource>;
  threshold: number | null;
  crosses_threshold: boolean | null;
  /** null: no threshold, or no counts to test it with. */
  significant: boolean | null;
  history_periods: number;
  history_median: number | null;
  /** null when the history is too short or has no spread (see note). */
  robust_z: number | null;
  anomalous: boolean;
  note: string;
}

export interface ReportedAssessmentDto {
  metrics: ReportedMetrics;
  has_counts: boolean;
  history_scope: string;
  comparisons: ReportedComparisonDto[];
  note: string;
}

export interface ThresholdsDto {
  roas_floor: number;
  roas_scale_target: number;
  cpl_spike_z: number;
  anomaly_z: number;
  min_anomaly_relative_change: number;
  min_history_periods: number;
  min_clicks_per_variant: number;
  min_conversions_per_comparison: number;
  significance_level: number;
  min_clicks_for_roas_bound: number;
  min_budget_confidence: number;
  budget_max_shift: number;
  cpl_ceiling_usd: number | null;
}

export interface OptimizationResponse {
  campaign_id: string;
  /** ISO-8601. */
  analyzed_at: string;
  /** At least one analysis had enough data to reach a verdict. */
  data_sufficient: boolean;
  kpis: OptimizationKpis;
  recommendations: RecommendationDto[];
  breaches: BreachDto[];
  /** What data is missing, in words (the insufficient_data summaries). */
  insufficient_data: string[];
  /** The assessment of the request's reported KPI snapshot; null without one. */
  reported: ReportedAssessmentDto | null;
  thresholds: ThresholdsDto;
  escalated: boolean;
  escalation_id: string | null;
  /** The stored OptimizationRun, when recorded. */
  optimization_run_id: string | null;
}

// ---------------------------------------------------------------- JSON Schema

const num = (description?: string) => ({ type: 'number', ...(description ? { description } : {}) }) as const;
const nullableNum = (description?: string) => ({ type: 'number', nullable: true, ...(description ? { description } : {}) }) as const;
const str = (description?: string) => ({ type: 'string', ...(description ? { description } : {}) }) as const;
const int = (description?: string) => ({ type: 'integer', minimum: 0, ...(description ? { description } : {}) }) as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const evidenceSchema = {
  type: 'object',
  description: 'The numbers the claim rests on, by snake_case name: sample sizes, rates, intervals, z, p-values, posterior probabilities.',
  additionalProperties: { anyOf: [{ type: 'number', nullable: true }, { type: 'string' }] },
} as const;
const interval95 = { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2, nullable: true, description: '[low, high]' } as const;

const KPI_PROPERTIES = {
  impressions: int(),
  clicks: int(),
  conversions: int(),
  spend_usd: { type: 'number', minimum: 0 },
  revenue_usd: { type: 'number', minimum: 0 },
  ctr: nullableNum('clicks/impressions; null without impressions.'),
  cvr: nullableNum('conversions/clicks; null without clicks.'),
  cpl_usd: nullableNum('spend/conversions (cost per lead); null without conversions.'),
  roas: nullableNum('revenue/spend; null without spend.'),
} as const;
const KPI_REQUIRED = ['impressions', 'clicks', 'conversions', 'spend_usd', 'revenue_usd', 'ctr', 'cvr', 'cpl_usd', 'roas'] as const;
const kpiSnapshot = (extra: Record<string, object>, description: string) =>
  ({
    type: 'object',
    description,
    additionalProperties: false,
    required: [...Object.keys(extra), ...KPI_REQUIRED],
    properties: { ...extra, ...KPI_PROPERTIES },
  }) as const;

/** JSON Schema (OpenAPI 3.0) of a RecommendationDto. */
export const RECOMMENDATION_JSON_SCHEMA = {
  type: 'object',
  title: 'OptimizationRecommendation',
  additionalProperties: false,
  required: ['type', 'target', 'summary', 'confidence', 'evidence'],
  properties: {
    type: { type: 'string', enum: ['variant_winner', 'anomaly', 'budget_reallocation', 'pause', 'scale', 'insufficient_data'] },
    target: str('campaign, variant:<name>, channel:<name>, channels (a reallocation) or reported (the request\'s KPI report).'),
    summary: str(),
    confidence: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      description:
        'variant_winner: P(winner beats loser); pause/scale: P(ROAS below the floor / above the target); budget_reallocation: P(every channel gaining budget has the higher marginal ROAS); anomaly: 1 − p (Student-t approximation); insufficient_data: 0 (no claim).',
    },
    evidence: evidenceSchema,
    expected_effect: {
      type: 'object',
      additionalProperties: false,
      required: ['metric', 'change', 'unit', 'interval_95', 'description'],
      properties: { metric: str(), change: num(), unit: str(), interval_95: interval95, description: str() },
    },
  },
} as const;

/** JSON Schema (OpenAPI 3.0) of a BreachDto. */
export const BREACH_JSON_SCHEMA = {
  type: 'object',
  title: 'OptimizationBreach',
  description: 'A KPI past a configured threshold with significance: the reason for a PERFORMANCE_THRESHOLD escalation.',
  additionalProperties: false,
  required: ['kpi', 'scope', 'observed', 'threshold', 'severity', 'summary', 'evidence'],
  properties: {
    kpi: { type: 'string', enum: ['roas', 'cpl_usd'] },
    scope: { type: 'string', enum: ['latest_period', 'reported'] },
    observed: num(),
    threshold: num('The ROAS floor, the CPL ceiling (USD), or the CPL spike level (USD): the history median plus cpl_spike_z robust standard deviations (at least min_anomaly_relative_change above the median).'),
    severity: { type: 'string', enum: ['warning', 'critical'] },
    summary: str(),
    evidence: evidenceSchema,
  },
} as const;

const REPORTED_METRICS_RESPONSE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    roas: num(),
    ctr: num(),
    cvr: num(),
    cpl_usd: num(),
    impressions: int(),
    clicks: int(),
    conversions: int(),
    spend_usd: num(),
    revenue_usd: num(),
    channel: str(),
    variant: str(),
    period_start: dateTime,
    period_end: dateTime,
  },
} as const;

/** JSON Schema (OpenAPI 3.0) of OptimizationResponse. */
export const OPTIMIZATION_RESPONSE_JSON_SCHEMA = {
  type: 'object',
  title: 'OptimizationResponse',
  description:
    'KPIs (CTR, CVR, CPL, ROAS) overall, per channel, per variant and per period, recommendations with their evidence and confidence, ' +
    'significant threshold breaches, and whether they were escalated to a manager.',
  additionalProperties: false,
  required: [
    'campaign_id',
    'analyzed_at',
    'data_sufficient',
    'kpis',
    'recommendations',
    'breaches',
    'insufficient_data',
    'reported',
    'thresholds',
    'escalated',
    'escalation_id',
    'optimization_run_id',
  ],
  properties: {
    campaign_id: str(),
    analyzed_at: dateTime,
    data_sufficient: { type: 'boolean', description: 'At least one analysis had enough data to reach a verdict.' },
    kpis: {
      type: 'object',
      additionalProperties: false,
      required: ['overall', 'by_channel', 'by_variant', 'by_period'],
      properties: {
        overall: kpiSnapshot({}, 'All stored snapshots.'),
        by_channel: { type: 'array', items: kpiSnapshot({ channel: str() }, 'One channel, all variants and periods.') },
        by_variant: { type: 'array', items: kpiSnapshot({ variant: str() }, 'One variant, all channels and periods.') },
        by_period: {
          type: 'array',
          description: 'The time series, oldest first.',
          items: kpiSnapshot({ period_start: dateTime, period_end: dateTime }, 'One period, all channels and variants.'),
        },
      },
    },
    recommendations: { type: 'array', items: RECOMMENDATION_JSON_SCHEMA },
    breaches: { type: 'array', items: BREACH_JSON_SCHEMA },
    insufficient_data: { type: 'array', items: str(), description: 'What data is missing, in words.' },
    reported: {
      type: 'object',
      nullable: true,
      description: "The request's reported KPI snapshot judged against the thresholds and the stored history; null without one.",
      additionalProperties: false,
      required: ['metrics', 'has_counts', 'history_scope', 'comparisons', 'note'],
      properties: {
        metrics: REPORTED_METRICS_RESPONSE_SCHEMA,
        has_counts: { type: 'boolean', description: 'False: a KPI-only report, which cannot establish significance against a threshold on its own.' },
        history_scope: str(),
        comparisons: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['kpi', 'value', 'source', 'threshold', 'crosses_threshold', 'significant', 'history_periods', 'history_median', 'robust_z', 'anomalous', 'note'],
            properties: {
              kpi: { type: 'string', enum: ['ctr', 'cvr', 'cpl_usd', 'roas'] },
              value: num(),
              source: { type: 'string', enum: ['reported', 'derived'] },
              threshold: nullableNum(),
              crosses_threshold: { type: 'boolean', nullable: true },
              significant: { type: 'boolean', nullable: true, description: 'null: no threshold, or no counts to test the crossing with.' },
              history_periods: int(),
              history_median: nullableNum(),
              robust_z: nullableNum(),
              anomalous: { type: 'boolean' },
              note: str(),
            },
          },
        },
        note: str(),
      },
    },
    thresholds: {
      type: 'object',
      additionalProperties: false,
      required: [
        'roas_floor',
        'roas_scale_target',
        'cpl_spike_z',
        'anomaly_z',
        'min_anomaly_relative_change',
        'min_history_periods',
        'min_clicks_per_variant',
        'min_conversions_per_comparison',
        'significance_level',
        'min_clicks_for_roas_bound',
        'min_budget_confidence',
        'budget_max_shift',
        'cpl_ceiling_usd',
      ],
      properties: {
        roas_floor: num(),
        roas_scale_target: num(),
        cpl_spike_z: num(),
        anomaly_z: num(),
        min_anomaly_relative_change: num(),
        min_history_periods: int(),
        min_clicks_per_variant: int(),
        min_conversions_per_comparison: int(),
        significance_level: num(),
        min_clicks_for_roas_bound: int(),
        min_budget_confidence: num(),
        budget_max_shift: num(),
        cpl_ceiling_usd: nullableNum(),
      },
    },
    escalated: { type: 'boolean' },
    escalation_id: { type: 'string', format: 'uuid', nullable: true },
    optimization_run_id: { type: 'string', format: 'uuid', nullable: true },
  },
} as const;

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
  return { kpi: wire(b.kpi), scope: wire(b.scope), observed: b.observed, threshold: b.threshold, severity: wire(b.severity), summary: b.summary, evidence: evidenceOf(b.evidence) };
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
