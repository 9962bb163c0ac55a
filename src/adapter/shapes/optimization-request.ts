// The body of `POST /api/v1/campaigns/{campaign_id}/optimize` (the specification
// references `OptimizationRequest` without defining it; this is its definition), and
// the `metrics` of agent/optimization/analyze:
//
//   {}                                      analyze the stored metrics
//   { "metrics": { ...ReportedMetrics } }   …and judge a reported KPI snapshot (not stored),
//                                           e.g. the load test's {"metrics": {"roas": 2.1, "ctr": 0.03, "cpl_usd": 45}}
//   { "metrics": [ ...MetricsSnapshot ] }   ingest full snapshots (stored; a snapshot for a stored
//                                           variant/channel/period replaces it), then analyze
//
// A KPI-only report is compared with the thresholds and the campaign's history, but
// without counts it cannot establish significance against a threshold on its own; the
// response says so (`reported.note`, `insufficient_data`).
//
// These schemas check each field on its own (names, types, ranges). The rules across
// fields (clicks ≤ impressions, conversions ≤ clicks, a period that ends after it starts,
// one snapshot per variant/channel/period, a KPI that agrees with its counts, at least
// one KPI or count) are the optimization agent's, behind GraphQL: they come back as
// GraphQL input issues, renamed to these fields (optimize-campaign.ts's issuePath).
import { z } from 'zod';
import type { CampaignMetricsInput, OptimizeCampaignMutationVariables, ReportedKpisInput } from '../__generated__/operations.js';
import { named } from './named-shapes.js';

/** Snapshots one request may carry: the optimization agent's limit per ingestion, which GraphQL enforces. */
const MAX_SNAPSHOTS_PER_INGEST = 1000;
/** Counts travel as GraphQL Int: 32 bits. */
const GRAPHQL_INT_MAX = 2 ** 31 - 1;

const nonNegative = (description: string) => z.number().min(0).describe(description);
const rate = (description: string) => z.number().min(0).max(1).describe(description);
const count = (description: string) => z.int().min(0).max(GRAPHQL_INT_MAX, `is too large (at most ${GRAPHQL_INT_MAX})`).describe(description);
const label = (description: string) => z.string().min(1).max(100).describe(description);
const dateTime = (description: string) => z.iso.datetime({ offset: true }).describe(description);

/**
 * An object that refuses unknown fields at its own path, naming them
 * (`metrics: unknown field(s): cpl`): a report is judged as one unit.
 */
function closedObject<Shape extends z.ZodRawShape>(shape: Shape) {
  return z
    .looseObject(shape)
    .superRefine((value, context) => {
      const unknown = Object.keys(value).filter((key) => !Object.hasOwn(shape, key));
      if (unknown.length > 0) context.addIssue({ code: 'custom', message: `unknown field(s): ${unknown.join(', ')}`, input: value });
    })
    .meta({ additionalProperties: false });
}

/** A reported KPI snapshot, snake_case: any subset, at least one KPI or count. */
export const reportedMetricsSchema = named(
  'ReportedMetrics',
  closedObject({
    roas: nonNegative('Return on ad spend, revenue/spend.').optional(),
    ctr: rate('Click-through rate, clicks/impressions.').optional(),
    cvr: rate('Conversion rate per click, conversions/clicks.').optional(),
    cpl_usd: nonNegative('Cost per lead (per conversion), spend/conversions, USD.').optional(),
    impressions: count('Impressions.').optional(),
    clicks: count('Clicks.').optional(),
    conversions: count('Conversions (leads).').optional(),
    spend_usd: nonNegative('Spend, USD.').optional(),
    revenue_usd: nonNegative('Attributed revenue, USD.').optional(),
    channel: label("The channel the report is about; its history is then the channel's.").optional(),
    variant: label("The variant the report is about; its history is then the variant's.").optional(),
    period_start: dateTime('Start of the reported period.').optional(),
    period_end: dateTime('End of the reported period.').optional(),
  }).meta({
    minProperties: 1,
    description:
      "A reported KPI snapshot, not stored: judged against the thresholds and the campaign's stored history. " +
      'Without counts (clicks, conversions, spend_usd, revenue_usd) it cannot establish significance against a threshold on its own. ' +
      'Also: clicks ≤ impressions, conversions ≤ clicks, period_end after period_start, and a KPI given with the counts it derives from must agree with them within 5 %.',
  }),
);

export type ReportedMetrics = z.infer<typeof reportedMetricsSchema>;

/** One full metric snapshot: one variant on one channel over one period. */
const metricsSnapshotSchema = named(
  'MetricsSnapshot',
  closedObject({
    variant: label('Variant name; default "default".').optional(),
    channel: label('Channel name; default "all".').optional(),
    period_start: dateTime('Start of the period.'),
    period_end: dateTime('End of the period (after period_start).'),
    impressions: count('Impressions.'),
    clicks: count('Clicks (≤ impressions).'),
    conversions: count('Conversions (≤ clicks).'),
    spend_usd: nonNegative('Spend, USD.'),
    revenue_usd: nonNegative('Attributed revenue, USD.'),
  }).describe(
    'One variant on one channel over one period; stored (replacing a stored snapshot of the same variant, channel and period). ' +
      'Also: clicks ≤ impressions, conversions ≤ clicks, period_end after period_start.',
  ),
);

/** `metrics` of an OptimizationRequest: a report to judge, or snapshots to store. */
export const optimizationMetricsSchema = z
  .union([reportedMetricsSchema, z.array(metricsSnapshotSchema).min(1).max(MAX_SNAPSHOTS_PER_INGEST)], {
    error: 'must be a reported KPI snapshot (object) or an array of metric snapshots',
  })
  .describe('A ReportedMetrics object (judged, not stored) or an array of MetricsSnapshot (stored first).');

export const optimizationRequestSchema = named(
  'OptimizationRequest',
  z
    .strictObject({ metrics: optimizationMetricsSchema.optional() })
    .describe(
      'Without metrics: analyze the stored metrics. With a ReportedMetrics object: also judge it (not stored). ' +
        'With an array of MetricsSnapshot: store them, then analyze.',
    ),
);

/** optimizeCampaign's variables: snapshots to store (`metrics`) or a report to judge (`reported`). */
export function toOptimizeVariables(campaignId: string, metrics: z.infer<typeof optimizationMetricsSchema> | undefined): OptimizeCampaignMutationVariables {
  if (metrics === undefined) return { campaignId };
  if (Array.isArray(metrics)) return { campaignId, metrics: metrics.map(toMetricsInput) };
  return { campaignId, reported: toReportedInput(metrics) };
}

function toMetricsInput(s: z.infer<typeof metricsSnapshotSchema>): CampaignMetricsInput {
  return {
    ...(s.variant !== undefined ? { variant: s.variant } : {}),
    ...(s.channel !== undefined ? { channel: s.channel } : {}),
    periodStart: s.period_start,
    periodEnd: s.period_end,
    impressions: s.impressions,
    clicks: s.clicks,
    conversions: s.conversions,
    spendUsd: s.spend_usd,
    revenueUsd: s.revenue_usd,
  };
}

function toReportedInput(r: ReportedMetrics): ReportedKpisInput {
  const reported: ReportedKpisInput = {};
  if (r.roas !== undefined) reported.roas = r.roas;
  if (r.ctr !== undefined) reported.ctr = r.ctr;
  if (r.cvr !== undefined) reported.cvr = r.cvr;
  if (r.cpl_usd !== undefined) reported.cplUsd = r.cpl_usd;
  if (r.impressions !== undefined) reported.impressions = r.impressions;
  if (r.clicks !== undefined) reported.clicks = r.clicks;
  if (r.conversions !== undefined) reported.conversions = r.conversions;
  if (r.spend_usd !== undefined) reported.spendUsd = r.spend_usd;
  if (r.revenue_usd !== undefined) reported.revenueUsd = r.revenue_usd;
  if (r.channel !== undefined) reported.channel = r.channel;
  if (r.variant !== undefined) reported.variant = r.variant;
  if (r.period_start !== undefined) reported.periodStart = r.period_start;
  if (r.period_end !== undefined) reported.periodEnd = r.period_end;
  return reported;
}
