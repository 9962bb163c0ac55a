// The Campaign Optimization agent as a worker: it takes an engagement →
// optimization handoff from the optimization queue and reviews the lead's
// campaign (KPIs, recommendations with evidence; a significant breach escalates
// to a manager), as the handoff's receiver (handoff-receipt.ts). Its gate looks
// up the campaign's stored metrics when the packet lacks them: a campaign with
// nothing to optimize on is held for its metrics (or a manager), by policy.
import type { PersonalDataCipher } from '../../privacy/personal-data-cipher.js';
import type { BatonPubSub } from '../../events/event-bus.js';
import type { Prisma } from '../../db/generated/prisma/client.js';
import type { LowQualityPolicy } from '../../config.js';
import type { JobHandler } from '../../jobs/job-queue.js';
import { contextPreservation, storedFacts, type PacketField } from '../handoff/context-preservation.js';
import type { AgentWork, HandoffOrchestrator } from '../handoff/handoff-orchestrator.js';
import { OPTIMIZATION_REQUIREMENTS } from '../handoff/handoff-quality.js';
import type { HandoffReceipt, ReceivedHandoff, Receiver } from '../handoff/handoff-receipt.js';
import { campaignAlerts, reviewCampaign } from './campaign-review.js';
import { withCampaignMetrics } from './campaign-metrics-snapshot.js';
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
  /** Opens the stored facts (the lead's sealed contact, its profile) the packets are verified against. */
  cipher: PersonalDataCipher;
  receipt: HandoffReceipt;
  orchestrator: HandoffOrchestrator;
  pubsub: BatonPubSub;
  lowQualityPolicy?: LowQualityPolicy;
}): JobHandler {
  const receiver: Receiver<null, ReviewRecord | null> = {
    requirements: OPTIMIZATION_REQUIREMENTS,
    onLowQuality: () => (deps.lowQualityPolicy === 'escalate' ? 'ESCALATE' : 'REQUEST_CONTEXT'),
    continuation: 'optimization',
    enrich: (tx, context) => withCampaignMetrics(tx, context),
    prepare: async () => null,

    async work(tx, handoffs) {
      const stored = await storedFacts(
        tx,
        handoffs.flatMap(({ handoff }) => (handoff.leadId ? [handoff.leadId] : [])),
        deps.cipher,
      );
      // Reviews read and write their campaign's rows: one after the other.
      const works: AgentWork<ReviewRecord | null>[] = [];
      for (const { handoff } of handoffs) {
        const work = await review(tx, handoff);
        const facts = handoff.leadId ? (stored.get(handoff.leadId) ?? {}) : {};
        works.push({ ...work, contextPreservation: contextPreservation(handoff.context, REVIEW_USES, facts).accuracy });
      }
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

/** What a review takes from the packet: the campaign it reviews, and the lead and conversation its run and escalation are linked to. */
const REVIEW_USES = new Set<PacketField>(['campaign.campaignId', 'lead.leadId', 'conversation.conversationId']);
