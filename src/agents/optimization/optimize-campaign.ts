// Optimize a campaign on demand (GraphQL optimizeCampaign, REST .../optimize,
// JSON-RPC agent/optimization/analyze): store the snapshots given, review the
// campaign, and publish any escalation once it is committed. Reporting metrics
// for an unknown campaign id registers it, as submitting a lead registers its id.
import type { PrismaClient } from '../../db/generated/prisma/client.js';
import type { BatonPubSub } from '../../events/event-bus.js';
import type { HandoffOrchestrator } from '../handoff/handoff-orchestrator.js';
import type { MetricsSnapshotInput } from './campaign-metrics.js';
import { campaignAlerts, reviewCampaign, type CampaignReview } from './campaign-review.js';
import type { OptimizationAgent } from './optimization-agent.js';
import type { ReportedKpis } from './reported-kpis.js';

export interface OptimizeRequest {
  campaignId: string;
  /** Stored before the review. */
  snapshots?: readonly MetricsSnapshotInput[] | null;
  /** Judged, not stored. */
  reported?: ReportedKpis | null;
}

const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 30_000 };

export async function optimizeCampaign(
  deps: { prisma: PrismaClient; pubsub: BatonPubSub; optimization: OptimizationAgent; orchestrator: HandoffOrchestrator },
  { campaignId, snapshots, reported }: OptimizeRequest,
): Promise<CampaignReview> {
  const review = await deps.prisma.$transaction(async (tx) => {
    if (snapshots?.length || reported) {
      const known = await tx.campaign.findUnique({ where: { id: campaignId }, select: { id: true } });
      if (!known) await deps.optimization.metrics.createCampaign({ id: campaignId, name: campaignId }, tx);
    }
    if (snapshots?.length) await deps.optimization.metrics.ingest(campaignId, snapshots, tx);
    return reviewCampaign(tx, deps, {
      campaignId,
      reported: reported ?? null,
      leadId: null,
      flowId: null,
      conversationId: null,
      parentId: null,
      context: null,
    });
  }, TRANSACTION_OPTIONS);
  await deps.orchestrator.announce([review.escalation]);
  for (const alert of campaignAlerts(review)) await deps.pubsub.publish('campaign:alert', alert);
  return review;
}
