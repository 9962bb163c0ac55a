// The body of `POST /api/v1/campaigns/{campaign_id}/optimize` (the specification
// references `OptimizationRequest` without defining it; this is its definition).
//
//   {}                                  analyze the stored metrics
//   { "metrics": { ...ReportedMetrics } }   …and judge a reported KPI snapshot (not stored),
//                                       e.g. the load test's {"metrics": {"roas": 2.1, "ctr": 0.03, "cpl_usd": 45}}
//   { "metrics": [ ...MetricsSnapshot ] }   ingest full snapshots (stored; a snapshot for a stored
//                                       variant/channel/period replaces it), then analyze
//
// A KPI-only report is compared with the thresholds and the campaign's history, but
// without counts it cannot establish significance against a threshold on its own; the
// response says so (`reported.note`, `insufficient_data`).
//
// Parsing checks each field on its own (names, types, ranges) and yields optimizeCampaign's
// variables. The rules across fields (clicks ≤ impressions, conversions ≤ clicks, a period
// that ends after it starts, one snapshot per variant/channel/period, a KPI that agrees with
// its counts, at least one KPI or count) are the optimization agent's, behind GraphQL: they
// come back as GraphQL input issues, renamed to these fields (optimizationPath).
import { z } from 'zod';
import { InputError, type InputIssue } from '../../errors.js';
import type { CampaignMetricsInput, ReportedKpisInput } from '../__generated__/operations.js';

/** Snapshots one request may carry: the optimization agent's limit per ingestion, which GraphQL enforces. */
const MAX_SNAPSHOTS_PER_INGEST = 1000;

/** A reported KPI snapshot, snake_case: any subset, at least one KPI or count. */
export interface ReportedMetrics {
  roas?: number;
  ctr?: number;
  cvr?: number;
  cpl_usd?: number;
  impressions?: number;
  clicks?: number;
  conversions?: number;
  spend_usd?: number;
  revenue_usd?: number;
  channel?: string;
  variant?: string;
  /** ISO-8601 date-time. */
  period_start?: string;
  period_end?: string;
}

/** One full metric snapshot: one variant on one channel over one period. */
export interface MetricsSnapshotBody {
  /** Default `default`. */
  variant?: string;
  /** Default `all`. */
  channel?: string;
  period_start: string;
  period_end: string;
  impressions: number;
  clicks: number;
  conversions: number;
  spend_usd: number;
  revenue_usd: number;
}

export interface OptimizationRequest {
  metrics?: ReportedMetrics | MetricsSnapshotBody[];
}

const nonNegative = (description: string) => ({ type: 'number', minimum: 0, description }) as const;
const rate = (description: string) => ({ type: 'number', minimum: 0, maximum: 1, description }) as const;
const count = (description: string) => ({ type: 'integer', minimum: 0, description }) as const;
const label = (description: string) => ({ type: 'string', minLength: 1, maxLength: 100, description }) as const;
const dateTime = (description: string) => ({ type: 'string', format: 'date-time', description }) as const;

/** JSON Schema (OpenAPI 3.0) of ReportedMetrics. */
export const REPORTED_METRICS_JSON_SCHEMA = {
  type: 'object',
  title: 'ReportedMetrics',
  description:
    'A reported KPI snapshot, not stored: judged against the thresholds and the campaign\'s stored history. ' +
    'Without counts (clicks, conversions, spend_usd, revenue_usd) it cannot establish significance against a threshold on its own. ' +
    'Also: clicks ≤ impressions, conversions ≤ clicks, period_end after period_start, and a KPI given with the counts it derives from must agree with them within 5 %.',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    roas: nonNegative('Return on ad spend, revenue/spend.'),
    ctr: rate('Click-through rate, clicks/impressions.'),
    cvr: rate('Conversion rate per click, conversions/clicks.'),
    cpl_usd: nonNegative('Cost per lead (per conversion), spend/conversions, USD.'),
    impressions: count('Impressions.'),
    clicks: count('Clicks.'),
    conversions: count('Conversions (leads).'),
    spend_usd: nonNegative('Spend, USD.'),
    revenue_usd: nonNegative('Attributed revenue, USD.'),
    channel: label('The channel the report is about; its history is then the channel\'s.'),
    variant: label('The variant the report is about; its history is then the variant\'s.'),
    period_start: dateTime('Start of the reported period.'),
    period_end: dateTime('End of the reported period.'),
  },
} as const;

/** JSON Schema (OpenAPI 3.0) of MetricsSnapshot. */
export const METRICS_SNAPSHOT_JSON_SCHEMA = {
  type: 'object',
  title: 'MetricsSnapshot',
  description:
    'One variant on one channel over one period; stored (replacing a stored snapshot of the same variant, channel and period). ' +
    'Also: clicks ≤ impressions, conversions ≤ clicks, period_end after period_start.',
  additionalProperties: false,
  required: ['period_start', 'period_end', 'impressions', 'clicks', 'conversions', 'spend_usd', 'revenue_usd'],
  properties: {
    variant: label('Variant name; default "default".'),
    channel: label('Channel name; default "all".'),
    period_start: dateTime('Start of the period.'),
    period_end: dateTime('End of the period (after period_start).'),
    impressions: count('Impressions.'),
    clicks: count('Clicks (≤ impressions).'),
    conversions: count('Conversions (≤ clicks).'),
    spend_usd: nonNegative('Spend, USD.'),
    revenue_usd: nonNegative('Attributed revenue, USD.'),
  },
} as const;

/** JSON Schema (OpenAPI 3.0) of OptimizationRequest. */
export const OPTIMIZATION_REQUEST_JSON_SCHEMA = {
  type: 'object',
  title: 'OptimizationRequest',
  description:
    'Without metrics: analyze the stored metrics. With a ReportedMetrics object: also judge it (not stored). ' +
    'With an array of MetricsSnapshot: store them, then analyze.',
  additionalProperties: false,
  properties: {
    metrics: {
      oneOf: [REPORTED_METRICS_JSON_SCHEMA, { type: 'array', minItems: 1, maxItems: MAX_SNAPSHOTS_PER_INGEST, items: METRICS_SNAPSHOT_JSON_SCHEMA }],
    },
  },
} as const;

const isoDateTime = z.iso.datetime({ offset: true });
const reportedSchema = z.strictObject({
  roas: z.number().min(0).optional(),
  ctr: z.number().min(0).max(1).optional(),
  cvr: z.number().min(0).max(1).optional(),
  cpl_usd: z.number().min(0).optional(),
  impressions: z.number().int().min(0).optional(),
  clicks: z.number().int().min(0).optional(),
  conversions: z.number().int().min(0).optional(),
  spend_usd: z.number().min(0).optional(),
  revenue_usd: z.number().min(0).optional(),
  channel: z.string().min(1).max(100).optional(),
  variant: z.string().min(1).max(100).optional(),
  period_start: isoDateTime.optional(),
  period_end: isoDateTime.optional(),
});
const snapshotSchema = z.strictObject({
  variant: z.string().min(1).max(100).optional(),
  channel: z.string().min(1).max(100).optional(),
  period_start: isoDateTime,
  period_end: isoDateTime,
  impressions: z.number().int().min(0),
  clicks: z.number().int().min(0),
  conversions: z.number().int().min(0),
  spend_usd: z.number().min(0),
  revenue_usd: z.number().min(0),
});
const snapshotsSchema = z.array(snapshotSchema).min(1).max(MAX_SNAPSHOTS_PER_INGEST);

export interface ParsedOptimizationRequest {
  /** Snapshots to store before analyzing, as optimizeCampaign's `metrics`, or null. */
  snapshots: CampaignMetricsInput[] | null;
  /** The reported KPI snapshot to judge, as optimizeCampaign's `reported`, or null. */
  reported: ReportedKpisInput | null;
}

/** Parses a request body field by field; InputError with snake_case paths (`metrics.roas`, `metrics.0.clicks`). */
export function parseOptimizationRequest(body: unknown): ParsedOptimizationRequest {
  if (body === undefined || body === null) return { snapshots: null, reported: null };
  if (typeof body !== 'object' || Array.isArray(body)) throw new InputError([{ path: 'body', message: 'must be a JSON object' }]);
  const unknownKeys = Object.keys(body).filter((key) => key !== 'metrics');
  if (unknownKeys.length > 0) throw new InputError(unknownKeys.map((key) => ({ path: key, message: 'is not a known field (expected only `metrics`)' })));
  const metrics: unknown = (body as { metrics?: unknown }).metrics;
  if (metrics === undefined) return { snapshots: null, reported: null };
  if (Array.isArray(metrics)) {
    const parsed = snapshotsSchema.safeParse(metrics);
    if (!parsed.success) throw new InputError(zodIssues(parsed.error, 'metrics'));
    const snapshots = parsed.data.map((s): CampaignMetricsInput => ({
      ...(s.variant !== undefined ? { variant: s.variant } : {}),
      ...(s.channel !== undefined ? { channel: s.channel } : {}),
      periodStart: s.period_start,
      periodEnd: s.period_end,
      impressions: s.impressions,
      clicks: s.clicks,
      conversions: s.conversions,
      spendUsd: s.spend_usd,
      revenueUsd: s.revenue_usd,
    }));
    return { snapshots, reported: null };
  }
  if (typeof metrics !== 'object' || metrics === null) {
    throw new InputError([{ path: 'metrics', message: 'must be a reported KPI snapshot (object) or an array of metric snapshots' }]);
  }
  const parsed = reportedSchema.safeParse(metrics);
  if (!parsed.success) throw new InputError(zodIssues(parsed.error, 'metrics'));
  const r = parsed.data;
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
  return { snapshots: null, reported };
}

function zodIssues(error: z.ZodError, prefix: string): InputIssue[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const base = [prefix, ...issue.path.map(String)].join('.');
      return { path: base, message: `unknown field(s): ${issue.keys.join(', ')}` };
    }
    return { path: [prefix, ...issue.path.map(String)].join('.'), message: issue.message };
  });
}
