// The Campaign Optimization agent as a worker: it takes an engagement →
// optimization handoff from the optimization queue and reviews the lead's
// campaign (KPIs, recommendations with evidence; a significant breach escalates
// to a manager), as the handoff's receiver (handoff-receipt.ts).
import type { BatonPubSub } from '../../events/event-bus.js';
import type { Prisma } from '../../db/generated/prisma/client.js';
import type { JobHandler } from '../../jobs/job-queue.js';
import type { AgentWork, HandoffOrchestrator } from '../handoff/handoff-orchestrator.js';
import { OPTIMIZATION_REQUIREMENTS } from '../handoff/handoff-quality.js';
import type { HandoffReceipt, ReceivedHandoff, Receiver } from '../handoff/handoff-receipt.js';
import { campaignAlerts, reviewCampaign } from './campaign-review.js';
import type { OptimizationAgent } from './optimization-agent.js';

/** What the review recorded, for the handoff's result. */
export interface ReviewRecord {
  optimizationRunId: string;
  escalationId: string | null;
  recommendations: number;
  breaches: number;
}

export function createOptimizationWorker(deps: {
  optimization: OptimizationAgent;
  receipt: HandoffReceipt;
  orchestrator: HandoffOrchestrator;
  pubsub: BatonPubSub;
}): JobHandler {
  const receiver: Receiver<null, ReviewRecord | null> = {
    requirements: OPTIMIZATION_REQUIREMENTS,
    onLowQuality: () => 'FAIL',
    continuation: 'optimization',
    prepare: async () => null,

    async work(tx, handoffs) {
      // Reviews read and write their campaign's rows: one after the other.
      const works: AgentWork<ReviewRecord | null>[] = [];
      for (const { handoff } of handoffs) works.push(await review(tx, handoff));
      return works;
    },
  };

  async function review(tx: Prisma.TransactionClient, handoff: ReceivedHandoff): Promise<AgentWork<ReviewRecord | null>> {
    const campaignId = handoff.context.campaign?.campaignId ?? handoff.campaignId;
    if (!campaignId) return { outcome: 'FAILED', detail: 'The packet names no campaign to review', result: null };
    const review = await reviewCampaign(tx, deps, {
      campaignId,
      leadId: handoff.leadId,
      flowId: handoff.flowId,
      conversationId: handoff.conversationId,
      parentId: handoff.id,
      context: handoff.context,
    });
    const verdict = review.escalation
      ? `escalated to a manager: ${review.escalation.failureReason ?? 'KPI breach'}`
      : `${review.analysis.recommendations.length} recommendations`;
    return {
      outcome: 'COMPLETED',
      detail: `Reviewed campaign ${campaignId}: ${verdict}`,
      result: {
        optimizationRunId: review.run.id,
        escalationId: review.escalation?.id ?? null,
        recommendations: review.analysis.recommendations.length,
        breaches: review.analysis.breaches.length,
      },
      news: review.escalation ? [review.escalation] : [],
      afterCommit: async () => {
        for (const alert of campaignAlerts(review)) await deps.pubsub.publish('campaign:alert', alert);
      },
    };
  }

  return deps.receipt.handler(receiver);
}
