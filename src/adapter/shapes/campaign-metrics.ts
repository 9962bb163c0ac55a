// A campaign's stored metrics in the specification's vocabulary (campaign/get/metrics).
import type { z } from 'zod';
import type { GetCampaignMetricsQuery } from '../__generated__/operations.js';
import { issuePaths } from './issue-paths.js';
import { array, boolean, count, dateTime, nullable, number, object, string } from './json-schema.js';
import { strictParams, text } from './params.js';

/** campaign/get/metrics params. */
export const campaignMetricsParamsSchema = strictParams({ campaign_id: text().describe('A campaign Baton knows.') });

export type CampaignMetricsParams = z.infer<typeof campaignMetricsParamsSchema>;

/** One variant on one channel over one period. */
export interface MetricsSnapshotShape {
  variant: string;
  channel: string;
  /** ISO 8601. */
  period_start: string;
  period_end: string;
  impressions: number;
  clicks: number;
  conversions: number;
  spend_usd: number;
  revenue_usd: number;
}

/** campaign/get/metrics result. */
export interface CampaignMetricsShape {
  campaign_id: string;
  name: string;
  /** Lifetime budget, USD; null when not stated. */
  budget_usd: number | null;
  /** Every stored snapshot, by period (oldest first), then variant and channel. */
  metrics: MetricsSnapshotShape[];
  /** The optimization agent's latest review, or null before the first. */
  latest_optimization: { id: string; created_at: string; data_sufficient: boolean } | null;
}

export function toCampaignMetrics(campaign: NonNullable<GetCampaignMetricsQuery['campaign']>): CampaignMetricsShape {
  const latest = campaign.optimizations[0];
  return {
    campaign_id: campaign.id,
    name: campaign.name,
    budget_usd: campaign.budgetUsd,
    metrics: campaign.metrics.map((m) => ({
      variant: m.variant,
      channel: m.channel,
      period_start: m.periodStart,
      period_end: m.periodEnd,
      impressions: m.impressions,
      clicks: m.clicks,
      conversions: m.conversions,
      spend_usd: m.spendUsd,
      revenue_usd: m.revenueUsd,
    })),
    latest_optimization: latest ? { id: latest.id, created_at: latest.createdAt, data_sufficient: latest.dataSufficient } : null,
  };
}

export const campaignMetricsPath = issuePaths({ campaignId: 'campaign_id' });

/** CampaignMetricsShape. */
export const CAMPAIGN_METRICS_JSON_SCHEMA = object(
  {
    campaign_id: string(),
    name: string(),
    budget_usd: nullable(number('Lifetime budget, USD; null when not stated.')),
    metrics: array(
      object({
        variant: string(),
        channel: string(),
        period_start: dateTime(),
        period_end: dateTime(),
        impressions: count(),
        clicks: count(),
        conversions: count(),
        spend_usd: number(),
        revenue_usd: number(),
      }),
      'Every stored snapshot, by period (oldest first), then variant and channel.',
    ),
    latest_optimization: nullable(object({ id: string(), created_at: dateTime(), data_sufficient: boolean() })),
  },
  { title: 'CampaignMetrics' },
);
