// campaign/get/metrics and the MCP tool get_campaign_metrics: `{ campaign_id }` →
// a campaign's stored metrics in the specification's vocabulary, one GraphQL
// operation (GetCampaignMetrics.graphql); an unknown campaign is NOT_FOUND.
import { z } from 'zod';
import { NotFoundError } from '../../errors.js';
import { GetCampaignMetricsDocument } from '../__generated__/operations.js';
import { defineAdapterOperation } from '../adapter-operation.js';
import { READ_ONLY } from '../door-bindings.js';
import { count, dateTime, orNull } from '../shapes/fields.js';
import { issuePaths } from '../shapes/issue-paths.js';
import { named } from '../shapes/named-shapes.js';
import { strictParams, text } from '../shapes/params.js';

const campaignMetricsSchema = named(
  'CampaignMetrics',
  z.object({
    campaign_id: z.string(),
    name: z.string(),
    budget_usd: orNull(z.number(), 'Lifetime budget, USD; null when not stated.'),
    metrics: z
      .array(
        z
          .object({
            variant: z.string(),
            channel: z.string(),
            period_start: dateTime(),
            period_end: dateTime(),
            impressions: count(),
            clicks: count(),
            conversions: count(),
            spend_usd: z.number(),
            revenue_usd: z.number(),
          })
          .describe('One variant on one channel over one period.'),
      )
      .describe('Every stored snapshot, by period (oldest first), then variant and channel.'),
    latest_optimization: z
      .object({ id: z.string(), created_at: dateTime(), data_sufficient: z.boolean() })
      .nullable()
      .describe("The optimization agent's latest review; null before the first."),
  }),
);

export const getCampaignMetrics = defineAdapterOperation({
  description:
    "Reads a campaign's stored metric snapshots (impressions, clicks, conversions, spend, revenue by variant, channel and period) and its latest optimization review. An unknown campaign is not found.",
  jsonRpc: { method: 'campaign/get/metrics' },
  mcp: { name: 'get_campaign_metrics', title: "Read a campaign's metrics", annotations: READ_ONLY },
  input: strictParams({ campaign_id: text().describe('A campaign Baton knows.') }),
  document: GetCampaignMetricsDocument,
  toVariables: (params) => ({ campaignId: params.campaign_id }),
  output: campaignMetricsSchema,
  toOutput: ({ campaign }, params) => {
    if (!campaign) throw new NotFoundError('Campaign', params.campaign_id);
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
  },
  issuePath: issuePaths({ id: 'campaign_id' }), // GraphQL names the argument of campaign(id:)
});
