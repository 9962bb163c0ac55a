// Campaign metrics the tests share, and a campaign created through the API with them.
import { expect } from 'vitest';
import { uniqueLeadId, type TestApp } from './test-app.js';

const WEEK_MS = 7 * 86_400_000;

/** Eight weeks on two channels, each spending $10,000 for $5,000 from 250 conversions: ROAS 0.5, significantly below the floor of 1. */
export function losingWeeks() {
  const start = Date.parse('2026-09-07T00:00:00Z');
  return Array.from({ length: 8 }, (_, week) =>
    ['search', 'social'].map((channel) => ({
      channel,
      periodStart: new Date(start + week * WEEK_MS).toISOString(),
      periodEnd: new Date(start + (week + 1) * WEEK_MS).toISOString(),
      impressions: 200_000,
      clicks: 5_000,
      conversions: 250,
      spendUsd: 10_000,
      revenueUsd: 5_000,
    })),
  ).flat();
}

/** Six weeks as the REST API's MetricsSnapshot: $10,000 spent for $4,000 each week (ROAS 0.4), a significant breach. */
export function losingWeeksSnapshots() {
  const start = Date.parse('2026-09-07T00:00:00Z');
  return Array.from({ length: 6 }, (_, week) => ({
    period_start: new Date(start + week * WEEK_MS).toISOString(),
    period_end: new Date(start + (week + 1) * WEEK_MS).toISOString(),
    impressions: 100_000,
    clicks: 4_000,
    conversions: 200,
    spend_usd: 10_000,
    revenue_usd: 4_000,
  }));
}

/** A new campaign "Autumn push" (budget $200,000 unless given), with `metrics` ingested: through GraphQL, as a dashboard would. */
export async function createCampaign(baton: TestApp, metrics: ReturnType<typeof losingWeeks> = [], budgetUsd: number | null = 200_000): Promise<string> {
  const id = `camp-${uniqueLeadId()}`;
  const created = await baton.graphql('mutation Create($input: CampaignInput!) { createCampaign(input: $input) { id } }', {
    input: { id, name: 'Autumn push', budgetUsd },
  });
  expect(created.body.errors).toBeUndefined();
  if (metrics.length > 0) {
    const ingested = await baton.graphql(
      'mutation Ingest($campaignId: ID!, $metrics: [CampaignMetricsInput!]!) { ingestCampaignMetrics(campaignId: $campaignId, metrics: $metrics) { ... on Campaign { id } } }',
      { campaignId: id, metrics },
    );
    expect(ingested.body.errors).toBeUndefined();
  }
  return id;
}

const DAY = 86_400_000;
const SEVEN_WEEKS_START = Date.UTC(2025, 5, 2);

/**
 * Seven weeks of search and social (variants A and B) and an idle display channel:
 * search converts far better than social, B better than A, and in the last week
 * social's conversions collapse (a CPL spike, a CVR and ROAS drop).
 */
export function sevenWeeksSocialCollapses() {
  const rows = [];
  for (let week = 0; week < 7; week++) {
    const last = week === 6;
    const snapshot = (channel: string, variant: string, conversions: number, revenueUsd: number, spend = 1000) => ({
      channel,
      variant,
      periodStart: new Date(SEVEN_WEEKS_START + week * 7 * DAY).toISOString(),
      periodEnd: new Date(SEVEN_WEEKS_START + (week + 1) * 7 * DAY).toISOString(),
      impressions: spend > 0 ? 40_000 : 0,
      clicks: spend > 0 ? 1000 : 0,
      conversions,
      spendUsd: spend,
      revenueUsd,
    });
    rows.push(snapshot('search', 'A', 50 + (week % 3), (50 + (week % 3)) * 80));
    rows.push(snapshot('search', 'B', 80 + (week % 2), (80 + (week % 2)) * 80));
    rows.push(snapshot('social', 'A', last ? 10 : 30 + (week % 2), (last ? 10 : 30) * 25));
    rows.push(snapshot('social', 'B', last ? 12 : 40 + (week % 3), (last ? 12 : 40) * 25));
    rows.push(snapshot('display', 'A', 0, 0, 0));
  }
  return rows;
}
