// One profitable week of a campaign's metrics (ROAS 3, nothing to escalate), ingested through
// GraphQL: the optimization agent's quality gate needs a campaign with fresh metrics to review.
import type { ApiClient } from './api-client.js';

export const PROFITABLE_WEEK = {
  channel: 'search',
  periodStart: '2026-10-05T00:00:00Z',
  periodEnd: '2026-10-12T00:00:00Z',
  impressions: 10_000,
  clicks: 400,
  conversions: 20,
  spendUsd: 1_000,
  revenueUsd: 3_000,
};

export async function ingestProfitableWeek(client: Pick<ApiClient, 'graphql'>, campaignId: string): Promise<void> {
  await client.graphql(
    'mutation ($campaignId: ID!, $metrics: [CampaignMetricsInput!]!) { ingestCampaignMetrics(campaignId: $campaignId, metrics: $metrics) { __typename } }',
    { campaignId, metrics: [PROFITABLE_WEEK] },
  );
}
