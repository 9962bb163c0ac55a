// Campaign optimization in the specification's vocabulary: the OptimizationRequest
// (`{}`, `{ "metrics": ReportedMetrics }` or `{ "metrics": [MetricsSnapshot] }`,
// validated by the optimization agent's own parseOptimizationRequest) → GraphQL's
// optimizeCampaign variables; its OptimizationResult → the documented
// OptimizationResponse, built by the agent's own toOptimizationResponse so that
// every door answers the same shape.
//
// The result's `kpis`, `recommendations[].evidence`/`expectedEffect`, and the
// run's stored `kpis` (which carries the thresholds applied and the reported
// snapshot's assessment) are JSON in GraphQL: they are checked here field by
// field as they are revived (dates from ISO strings), so a change of their
// format fails loudly instead of answering a wrong shape.
import { z } from 'zod';
import type { OptimizationAnalysis } from '../../agents/optimization/analysis.js';
import type { MetricsSnapshotInput } from '../../agents/optimization/campaign-metrics.js';
import type { HistoryCheck } from '../../agents/optimization/anomalies.js';
import type { CampaignKpis } from '../../agents/optimization/kpis.js';
import {
  OPTIMIZATION_REQUEST_JSON_SCHEMA,
  parseOptimizationRequest,
  type ParsedOptimizationRequest,
} from './optimization-request.js';
import { toOptimizationResponse, type OptimizationResponse } from './optimization-response.js';
import type { Breach, Evidence, ExpectedEffect, Recommendation } from '../../agents/optimization/recommendation.js';
import type { ReportedAssessment, ReportedKpis } from '../../agents/optimization/reported-kpis.js';
import type { OptimizationThresholds } from '../../agents/optimization/thresholds.js';
import { InputError } from '../../errors.js';
import type {
  CampaignMetricsInput,
  OptimizeCampaignMutation,
  OptimizeCampaignMutationVariables,
  ReportedKpisInput,
} from '../__generated__/operations.js';
import { toDraft07 } from '../schema-dialects.js';
import { snakeCase } from './issue-paths.js';
import { strictParams, text } from './params.js';

/** A validated optimization request for one campaign. */
export interface OptimizeInput extends ParsedOptimizationRequest {
  campaignId: string;
}

const GRAPHQL_INT_MAX = 2 ** 31 - 1;

/**
 * Validates an OptimizationRequest with parseOptimizationRequest, reporting its
 * issues (`metrics.roas`, `metrics.0.clicks`) as zod issues at the same paths.
 */
function parseRequest(body: unknown, context: z.core.$RefinementCtx): ParsedOptimizationRequest | undefined {
  let parsed: ParsedOptimizationRequest;
  try {
    parsed = parseOptimizationRequest(body);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    for (const issue of error.issues) context.issues.push({ code: 'custom', path: issue.path.split('.'), message: issue.message, input: body });
    return undefined;
  }
  const refuse = (path: string[], message: string) => context.issues.push({ code: 'custom', path, message, input: body });
  // Counts travel as GraphQL Int: 32 bits.
  const counted: { path: string[]; counts: Partial<Record<'impressions' | 'clicks' | 'conversions', number>> }[] = [
    ...(parsed.snapshots ?? []).map((snapshot, index) => ({ path: ['metrics', String(index)], counts: snapshot })),
    ...(parsed.reported ? [{ path: ['metrics'], counts: parsed.reported }] : []),
  ];
  for (const { path, counts } of counted) {
    for (const field of ['impressions', 'clicks', 'conversions'] as const) {
      if ((counts[field] ?? 0) > GRAPHQL_INT_MAX) refuse([...path, field], `is too large (at most ${GRAPHQL_INT_MAX})`);
    }
  }
  return context.issues.length > 0 ? undefined : parsed;
}

/**
 * REST `POST /api/v1/campaigns/{campaign_id}/optimize`: the path's campaign id and
 * the body (absent: analyze the stored metrics). Body issues are named from the
 * body (`metrics.roas`); the id's, `campaign_id`.
 */
export const optimizeRequestSchema = z
  .object({ campaign_id: z.string(), body: z.unknown() })
  .transform((request, context): OptimizeInput => {
    const parsed = parseRequest(request.body, context);
    return parsed ? { campaignId: request.campaign_id, ...parsed } : z.NEVER;
  });

/** agent/optimization/analyze params: `{ campaign_id, metrics? }`, `metrics` as in the REST body. */
export const analyzeParamsSchema = strictParams({
  campaign_id: text().describe('The campaign; metrics for an unknown id register it.'),
  // Validated by parseOptimizationRequest in the transform below; the metadata publishes its schema.
  metrics: z
    .unknown()
    .optional()
    .meta({
      description: 'A ReportedMetrics object (judged, not stored) or an array of MetricsSnapshot (stored first).',
      ...toDraft07(OPTIMIZATION_REQUEST_JSON_SCHEMA.properties.metrics),
    }),
}).transform((params, context): OptimizeInput => {
  const parsed = parseRequest(params.metrics === undefined ? {} : { metrics: params.metrics }, context);
  return parsed ? { campaignId: params.campaign_id, ...parsed } : z.NEVER;
});

export function toOptimizeVariables({ campaignId, snapshots, reported }: OptimizeInput): OptimizeCampaignMutationVariables {
  return {
    campaignId,
    ...(snapshots ? { metrics: snapshots.map(toMetricsInput) } : {}),
    ...(reported ? { reported: toReportedInput(reported) } : {}),
  };
}

function toMetricsInput(snapshot: MetricsSnapshotInput): CampaignMetricsInput {
  const iso = (value: Date | string) => (typeof value === 'string' ? value : value.toISOString());
  return {
    ...(snapshot.variant !== undefined ? { variant: snapshot.variant } : {}),
    ...(snapshot.channel !== undefined ? { channel: snapshot.channel } : {}),
    periodStart: iso(snapshot.periodStart),
    periodEnd: iso(snapshot.periodEnd),
    impressions: snapshot.impressions,
    clicks: snapshot.clicks,
    conversions: snapshot.conversions,
    spendUsd: snapshot.spendUsd,
    revenueUsd: snapshot.revenueUsd,
  };
}

function toReportedInput(reported: ReportedKpis): ReportedKpisInput {
  const { periodStart, periodEnd, ...kpis } = reported;
  return { ...kpis, ...(periodStart ? { periodStart: periodStart.toISOString() } : {}), ...(periodEnd ? { periodEnd: periodEnd.toISOString() } : {}) };
}

/** GraphQL's paths (`campaignId`, `reported.cplUsd`, `metrics.0.periodStart`) → the request's (`campaign_id`, `metrics.cpl_usd`, `metrics.0.period_start`). */
export function optimizationPath(graphqlPath: string): string {
  return graphqlPath
    .split('.')
    .map((segment, index) => (index === 0 && segment === 'reported' ? 'metrics' : snakeCase(segment)))
    .join('.');
}

// ---------------------------------------------------------------- result

const isoDate = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
const count = z.number();
const ratio = z.number().nullable();
const kpiValues = {
  impressions: count,
  clicks: count,
  conversions: count,
  spendUsd: z.number(),
  revenueUsd: z.number(),
  ctr: ratio,
  cvr: ratio,
  cplUsd: ratio,
  roas: ratio,
};

const campaignKpisJson = z.object({
  overall: z.object(kpiValues),
  byChannel: z.array(z.object({ channel: z.string(), ...kpiValues })),
  byVariant: z.array(z.object({ variant: z.string(), ...kpiValues })),
  byPeriod: z.array(z.object({ periodStart: isoDate, periodEnd: isoDate, ...kpiValues })),
}) satisfies z.ZodType<CampaignKpis, unknown>;

const thresholdsJson = z.object({
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

const evidenceJson = z.record(z.string(), z.union([z.number(), z.string(), z.null()])) satisfies z.ZodType<Evidence, unknown>;

const expectedEffectJson = z.object({
  metric: z.string(),
  change: z.number(),
  unit: z.string(),
  interval95: z.tuple([z.number(), z.number()]).nullable(),
  description: z.string(),
}) satisfies z.ZodType<ExpectedEffect, unknown>;

const recommendationType = z.enum(['variant_winner', 'anomaly', 'budget_reallocation', 'pause', 'scale', 'insufficient_data']);
const breachKpi = z.enum(['roas', 'cpl_usd']);
const breachScope = z.enum(['latest_period', 'reported']);
const breachSeverity = z.enum(['warning', 'critical']);

const reportedKpisJson = z.object({
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
  periodStart: isoDate.optional(),
  periodEnd: isoDate.optional(),
});

const kpiName = z.enum(['ctr', 'cvr', 'cpl_usd', 'roas']);

/** A history check as stored: a non-finite number (a robust z against a history without spread) is stored as null. */
const historyCheckJson = z.object({
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

/** The reported assessment as stored. Its ROAS/CPL interval is not part of the response and is left out. */
const reportedAssessmentJson = z
  .object({
    reported: reportedKpisJson,
    hasCounts: z.boolean(),
    historyScope: z.string(),
    note: z.string(),
    comparisons: z.array(
      z.object({
        kpi: kpiName,
        value: z.number(),
        source: z.enum(['reported', 'derived']),
        threshold: z.number().nullable(),
        crossesThreshold: z.boolean().nullable(),
        significant: z.boolean().nullable(),
        history: historyCheckJson,
        note: z.string(),
      }),
    ),
  })
  .transform((assessment): ReportedAssessment => ({ ...assessment, interval: null }));

/** What OptimizationRun.kpis holds besides the KPIs: the thresholds applied and the reported assessment. */
const storedRunJson = z.looseObject({ thresholds: thresholdsJson, reported: reportedAssessmentJson.nullable() });

/** The success member of optimizeCampaign's result (a NotFoundError never reaches a mapper). */
type OptimizationResult = Extract<OptimizeCampaignMutation['optimizeCampaign'], { __typename: 'OptimizationResult' }>;

/** The OptimizationResponse of one optimizeCampaign result. */
export function toOptimizationResponseShape(result: OptimizationResult): OptimizationResponse {
  const stored = storedRunJson.parse(result.run.kpis);
  const analysis: OptimizationAnalysis = {
    campaignId: result.campaignId,
    analyzedAt: new Date(result.analyzedAt),
    dataSufficient: result.dataSufficient,
    kpis: campaignKpisJson.parse(result.kpis),
    recommendations: result.recommendations.map((r): Recommendation => {
      const expectedEffect = expectedEffectJson.nullable().parse(r.expectedEffect ?? null);
      return {
        type: recommendationType.parse(r.type),
        target: r.target,
        summary: r.summary,
        confidence: r.confidence,
        evidence: evidenceJson.parse(r.evidence),
        ...(expectedEffect ? { expectedEffect } : {}),
      };
    }),
    breaches: result.breaches.map(
      (b): Breach => ({
        kpi: breachKpi.parse(b.kpi),
        scope: breachScope.parse(b.scope),
        observed: b.observed,
        threshold: b.threshold,
        severity: breachSeverity.parse(b.severity),
        summary: b.summary,
        evidence: evidenceJson.parse(b.evidence),
      }),
    ),
    insufficient: result.insufficientData,
    reported: stored.reported,
    thresholds: stored.thresholds,
  };
  return toOptimizationResponse(analysis, { escalationId: result.escalation?.id ?? null, runId: result.run.id });
}
