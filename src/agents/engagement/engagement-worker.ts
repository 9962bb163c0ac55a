// The Engagement agent as a worker: it takes a triage → engagement handoff from
// the engagement queue, and as its receiver (handoff-receipt.ts) declares what
// it needs in the packet, fills gaps from memory, plans and executes the
// outreach, and, for a campaign's lead, hands the campaign on to optimization.
import type { PrismaClient } from '../../db/generated/prisma/client.js';
import { OPTIMIZATION_AGENT } from '../../domain/agent-ids.js';
import { leadInputOf } from '../../domain/lead.js';
import type { JobContext } from '../../jobs/job-queue.js';
import type { ShortTermMemory } from '../../memory/short-term/short-term-memory.js';
import { leadOfPacket } from '../handoff/handoff-context.js';
import type { HandoffOrchestrator, RecordedHandoff } from '../handoff/handoff-orchestrator.js';
import { ENGAGEMENT_REQUIREMENTS } from '../handoff/handoff-quality.js';
import type { HandoffReceipt, Receiver } from '../handoff/handoff-receipt.js';
import { memoryEnrichment } from '../handoff/memory-enrichment.js';
import type { EngagementAgent, PreparedEngagement } from './engagement-agent.js';
import { toEngagementRecord, type EngagementRecord } from './engagement-record.js';

export function createEngagementWorker(deps: {
  prisma: PrismaClient;
  engagement: EngagementAgent;
  receipt: HandoffReceipt;
  orchestrator: HandoffOrchestrator;
  /** Where enrichment looks, and where the conversation's working context is left. */
  shortTerm?: Pick<ShortTermMemory, 'store' | 'retrieve'>;
  /** False when nobody reviews campaigns: the flow then ends with engagement. */
  handsCampaignsToOptimization: boolean;
}) {
  const receiver: Receiver<PreparedEngagement, EngagementRecord | null> = {
    requirements: ENGAGEMENT_REQUIREMENTS,
    // A qualified lead is worth a manager's look; the rest fail with the reason.
    onLowQuality: (context) => (context.triage?.category === 'CAMPAIGN_QUALIFIED' ? 'ESCALATE' : 'FAIL'),
    continuation: 'engagement',
    enrich: (tx, context, missing) => memoryEnrichment(tx, deps.shortTerm)(context, missing),
    prepare: ({ context }) => deps.engagement.prepare(leadOfPacket(context)),

    async work(tx, handoff, prepared) {
      const lead = await tx.lead.findUniqueOrThrow({ where: { id: handoff.context.lead.leadId } });
      const triage = handoff.context.triage;
      if (!triage) return { outcome: 'FAILED', detail: 'The packet carries no triage verdict', result: null };
      const outcome = await deps.engagement.engage(tx, prepared, {
        lead: leadInputOf(lead),
        conversationId: handoff.conversationId,
        triage: { category: triage.category, assignedAgent: handoff.toAgent, score: triage.score },
        agent: handoff.toAgent,
      });
      const record = toEngagementRecord(outcome);
      const first = outcome.firstTouchpoint;
      const remember = async () => {
        if (!handoff.conversationId) return;
        await deps.shortTerm?.store(handoff.conversationId, {
          leadId: lead.id,
          activeIntent: first ? 'nurture' : 'triage_review',
          lastAgent: handoff.toAgent,
          pendingActions: outcome.nextActions.map((action) => action.action),
        });
      };
      if (outcome.status !== 'EXECUTED' || !first) {
        return { outcome: 'COMPLETED', detail: `No outreach: ${outcome.reason}`, result: record, afterCommit: remember };
      }
      const news: RecordedHandoff[] = [];
      const campaign = handoff.context.campaign;
      if (campaign && deps.handsCampaignsToOptimization) {
        const next = await deps.orchestrator.request(tx, {
          type: 'ENGAGEMENT_TO_OPTIMIZATION',
          trigger: 'TASK_COMPLETION',
          fromAgent: handoff.toAgent,
          toAgent: OPTIMIZATION_AGENT,
          leadId: lead.id,
          campaignId: campaign.campaignId,
          conversationId: handoff.conversationId,
          flowId: handoff.flowId,
          parentId: handoff.id,
          context: { ...handoff.context, conversation: { conversationId: handoff.context.conversation.conversationId, lastAgent: handoff.toAgent } },
          continuation: 'optimization',
        });
        news.push(next.handoff, ...(next.escalation ? [next.escalation] : []));
      }
      return {
        outcome: 'COMPLETED',
        detail: `First touchpoint: ${first.channel} "${first.template}"; ${outcome.nextActions.length} follow-ups queued`,
        result: record,
        news,
        afterCommit: remember,
      };
    },
  };

  return (payload: Record<string, unknown>, job: JobContext) => deps.receipt.receive(String(payload.handoffId), receiver, job);
}
