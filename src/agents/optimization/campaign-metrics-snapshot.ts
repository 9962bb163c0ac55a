// The campaign context's performance data, as the optimization agent's gate
// needs it: how many periods are stored, the latest period's end, and when the
// newest was ingested (its freshness, handoff-quality.ts). One aggregate query.
import type { Prisma } from '../../db/generated/prisma/client.js';
import type { CampaignMetricsSnapshot, HandoffContext } from '../handoff/handoff-context.js';

export async function campaignMetricsSnapshot(tx: Prisma.TransactionClient, campaignId: string): Promise<CampaignMetricsSnapshot> {
  const stored = await tx.campaignMetrics.aggregate({ where: { campaignId }, _count: { _all: true }, _max: { periodEnd: true, recordedAt: true } });
  return {
    periods: stored._count._all,
    latestPeriodEnd: stored._max.periodEnd?.toISOString() ?? null,
    recordedAt: stored._max.recordedAt?.toISOString() ?? null,
  };
}

/** The packet with its campaign's metrics as stored now; unchanged without a campaign. */
export async function withCampaignMetrics(tx: Prisma.TransactionClient, context: HandoffContext): Promise<HandoffContext> {
  if (!context.campaign) return context;
  return { ...context, campaign: { ...context.campaign, metrics: await campaignMetricsSnapshot(tx, context.campaign.campaignId) } };
}
