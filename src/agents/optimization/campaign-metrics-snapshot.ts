// The campaign context's performance data, as the optimization agent needs it:
// how many periods are stored, the latest period's end, and when the newest was
// ingested (its freshness, handoff-quality.ts). Engagement puts it in the packet
// it hands on; the optimization agent's gate reads it again when it is missing
// or stale. One aggregate query.
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

/** The snapshots of several campaigns, by id, in one grouped query (a campaign without metrics has 0 periods). */
export async function campaignMetricsSnapshots(tx: Prisma.TransactionClient, campaignIds: readonly string[]): Promise<Map<string, CampaignMetricsSnapshot>> {
  const ids = [...new Set(campaignIds)];
  if (ids.length === 0) return new Map();
  const groups = await tx.campaignMetrics.groupBy({
    by: ['campaignId'],
    where: { campaignId: { in: ids } },
    _count: { _all: true },
    _max: { periodEnd: true, recordedAt: true },
  });
  const byId = new Map(groups.map((group) => [group.campaignId, group]));
  return new Map(
    ids.map((id) => {
      const group = byId.get(id);
      return [
        id,
        {
          periods: group?._count._all ?? 0,
          latestPeriodEnd: group?._max.periodEnd?.toISOString() ?? null,
          recordedAt: group?._max.recordedAt?.toISOString() ?? null,
        },
      ];
    }),
  );
}

/** The packet with its campaign's metrics as stored now; unchanged without a campaign. */
export async function withCampaignMetrics(tx: Prisma.TransactionClient, context: HandoffContext): Promise<HandoffContext> {
  if (!context.campaign) return context;
  return { ...context, campaign: { ...context.campaign, metrics: await campaignMetricsSnapshot(tx, context.campaign.campaignId) } };
}
