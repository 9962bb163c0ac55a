// The OptimizationResponse an analysis should come out as, mapped straight from the
// optimization agent's types. The adapter builds the response from GraphQL's typed
// OptimizationResult instead; tests compare the two, so a field GraphQL loses or
// changes on the way shows up as a difference.
import type { OptimizationAnalysis } from '../../src/agents/optimization/analysis.js';
import type { KpiValues } from '../../src/agents/optimization/kpis.js';
import type { Breach, Evidence, ExpectedEffect, Recommendation } from '../../src/agents/optimization/recommendation.js';
import type { ReportedAssessment } from '../../src/agents/optimization/reported-kpis.js';
import type { ReportedMetrics } from '../../src/adapter/shapes/optimization-request.js';
import type {
  BreachDto,
  ExpectedEffectDto,
  KpiSnapshot,
  OptimizationResponse,
  RecommendationDto,
  ReportedAssessmentDto,
} from '../../src/adapter/shapes/optimization-response.js';

function kpiSnapshotOf(k: KpiValues): KpiSnapshot {
  return {
    impressions: k.impressions,
    clicks: k.clicks,
    conversions: k.conversions,
    spend_usd: k.spendUsd,
    revenue_usd: k.revenueUsd,
    ctr: finite(k.ctr),
    cvr: finite(k.cvr),
    cpl_usd: finite(k.cplUsd),
    roas: finite(k.roas),
  };
}

function finite(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

function evidenceOf(evidence: Evidence): Record<string, number | string | null> {
  return Object.fromEntries(Object.entries(evidence).map(([key, value]) => [key, typeof value === 'number' ? finite(value) : value]));
}

function effectOf(effect: ExpectedEffect): ExpectedEffectDto {
  const interval = effect.interval95?.every(Number.isFinite) ? effect.interval95 : null;
  return {
    metric: effect.metric,
    change: Number.isFinite(effect.change) ? effect.change : 0,
    unit: effect.unit,
    interval_95: interval,
    description: effect.description,
  };
}

function recommendationDto(r: Recommendation): RecommendationDto {
  return {
    type: r.type,
    target: r.target,
    summary: r.summary,
    confidence: Number.isFinite(r.confidence) ? Math.min(1, Math.max(0, r.confidence)) : 0,
    evidence: evidenceOf(r.evidence),
    ...(r.expectedEffect ? { expected_effect: effectOf(r.expectedEffect) } : {}),
  };
}

function breachDto(b: Breach): BreachDto {
  return {
    kpi: b.kpi,
    scope: b.scope,
    observed: b.observed,
    threshold: b.threshold,
    severity: b.severity,
    summary: b.summary,
    evidence: evidenceOf(b.evidence),
  };
}

function reportedDto(a: ReportedAssessment): ReportedAssessmentDto {
  const r = a.reported;
  const metrics: ReportedMetrics = {};
  if (r.roas !== undefined) metrics.roas = r.roas;
  if (r.ctr !== undefined) metrics.ctr = r.ctr;
  if (r.cvr !== undefined) metrics.cvr = r.cvr;
  if (r.cplUsd !== undefined) metrics.cpl_usd = r.cplUsd;
  if (r.impressions !== undefined) metrics.impressions = r.impressions;
  if (r.clicks !== undefined) metrics.clicks = r.clicks;
  if (r.conversions !== undefined) metrics.conversions = r.conversions;
  if (r.spendUsd !== undefined) metrics.spend_usd = r.spendUsd;
  if (r.revenueUsd !== undefined) metrics.revenue_usd = r.revenueUsd;
  if (r.channel !== undefined) metrics.channel = r.channel;
  if (r.variant !== undefined) metrics.variant = r.variant;
  if (r.periodStart !== undefined) metrics.period_start = r.periodStart.toISOString();
  if (r.periodEnd !== undefined) metrics.period_end = r.periodEnd.toISOString();
  return {
    metrics,
    has_counts: a.hasCounts,
    history_scope: a.historyScope,
    comparisons: a.comparisons.map((c) => ({
      kpi: c.kpi,
      value: c.value,
      source: c.source,
      threshold: c.threshold,
      crosses_threshold: c.crossesThreshold,
      significant: c.significant,
      history_periods: c.history.historyPeriods,
      history_median: finite(c.history.median),
      robust_z: finite(c.history.z),
      anomalous: c.history.anomalous,
      note: c.note,
    })),
    note: a.note,
  };
}

/** The documented response for an analysis; `escalationId` is the manager escalation the caller raised for its breaches, if any. */
export function toOptimizationResponse(analysis: OptimizationAnalysis, options: { escalationId: string | null; runId?: string | null }): OptimizationResponse {
  const t = analysis.thresholds;
  return {
    campaign_id: analysis.campaignId,
    analyzed_at: analysis.analyzedAt.toISOString(),
    data_sufficient: analysis.dataSufficient,
    kpis: {
      overall: kpiSnapshotOf(analysis.kpis.overall),
      by_channel: analysis.kpis.byChannel.map((k) => ({ channel: k.channel, ...kpiSnapshotOf(k) })),
      by_variant: analysis.kpis.byVariant.map((k) => ({ variant: k.variant, ...kpiSnapshotOf(k) })),
      by_period: analysis.kpis.byPeriod.map((k) => ({ period_start: k.periodStart.toISOString(), period_end: k.periodEnd.toISOString(), ...kpiSnapshotOf(k) })),
    },
    recommendations: analysis.recommendations.map(recommendationDto),
    breaches: analysis.breaches.map(breachDto),
    insufficient_data: [...analysis.insufficient],
    reported: analysis.reported ? reportedDto(analysis.reported) : null,
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
    escalated: options.escalationId !== null,
    escalation_id: options.escalationId,
    optimization_run_id: options.runId ?? null,
  };
}
