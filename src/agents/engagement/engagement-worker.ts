// The Engagement agent as a worker: it takes a triage → engagement handoff from
// the engagement queue, and as its receiver (handoff-receipt.ts) declares what
// it needs in the packet, fills gaps from memory, plans and executes the
// outreach, and, for a campaign's lead, hands the campaign on to optimization.
// It also takes optimization's approved changes to a campaign's engagement.
import { OPTIMIZATION_AGENT } from '../../domain/agent-ids.js';
import { leadInputOf } from '../../domain/lead.js';
import { NotFoundError } from '../../errors.js';
import type { JobHandler } from '../../jobs/job-queue.js';
import type { ShortTermMemory } from '../../memory/short-term/short-term-memory.js';
import { leadOfPacket } from '../handoff/handoff-context.js';
import type { AgentWork, HandoffOrchestrator, HandoffRequest } from '../handoff/handoff-orchestrator.js';
import { ENGAGEMENT_REQUIREMENTS } from '../handoff/handoff-quality.js';
import type { HandoffReceipt, ReceivedHandoff, Receiver } from '../handoff/handoff-receipt.js';
import { memoryEnrichment } from '../handoff/memory-enrichment.js';
import type { EngagementAgent, EngagementCall, PreparedEngagement } from './engagement-agent.js';
import { toEngagementRecord, type EngagementRecord } from './engagement-record.js';
import { optimizationPlanReceiver } from './optimization-plan-receiver.js';

export function createEngagementWorker(deps: {
  engagement: EngagementAgent;
  receipt: HandoffReceipt;
  orchestrator: HandoffOrchestrator;
  /** Where enrichment looks, and where the conversation's working context is left. */
  shortTerm?: Pick<ShortTermMemory, 'store' | 'retrieve'>;
  /** False when nobody reviews campaigns: the flow then ends with engagement. */
  handsCampaignsToOptimization: boolean;
}): JobHandler {
  const receiver: Receiver<PreparedEngagement, EngagementRecord | null> = {
    requirements: ENGAGEMENT_REQUIREMENTS,
    // A qualified lead is worth a manager's look; the rest fail with the reason.
    onLowQuality: (context) => (context.triage?.category === 'CAMPAIGN_QUALIFIED' ? 'ESCALATE' : 'FAIL'),
    continuation: 'engagement',
    enrich: (tx, context, missing) => memoryEnrichment(tx, deps.shortTerm)(context, missing),
    prepare: ({ context }) => deps.engagement.prepare(leadOfPacket(context)),

    async work(tx, handoffs) {
      const leadIds = handoffs.map(({ handoff }) => handoff.context.lead.leadId);
      const leads = new Map((await tx.lead.findMany({ where: { id: { in: leadIds } } })).map((lead) => [lead.id, lead]));
      const works: AgentWork<EngagementRecord | null>[] = [];
      const engaging: { index: number; call: EngagementCall; handoff: ReceivedHandoff }[] = [];
      for (const [index, { handoff, prepared }] of handoffs.entries()) {
        const lead = leads.get(handoff.context.lead.leadId);
        if (!lead) throw new NotFoundError('Lead', handoff.context.lead.leadId);
        const triage = handoff.context.triage;
        if (!triage) {
          works[index] = { outcome: 'FAILED', detail: 'The packet carries no triage verdict', result: null };
          continue;
        }
        const request = {
          lead: leadInputOf(lead),
          conversationId: handoff.conversationId,
          triage: { category: triage.category, assignedAgent: handoff.toAgent, score: triage.score },
          agent: handoff.toAgent,
        };
        engaging.push({ index, handoff, call: { prepared, request } });
      }
      const outcomes = await deps.engagement.engage(
        tx,
        engaging.map(({ call }) => call),
      );
      // A campaign's lead that was reached hands its campaign on to optimization: one request for all of them.
      const onward = engaging.flatMap(({ index, handoff }, k) => {
        const campaign = handoff.context.campaign;
        const executed = outcomes[k]!.status === 'EXECUTED' && outcomes[k]!.firstTouchpoint;
        if (!campaign || !executed || !deps.handsCampaignsToOptimization) return [];
        return [{ index, request: toOptimization(handoff, campaign.campaignId) }];
      });
      const requested = await deps.orchestrator.request(
        tx,
        onward.map(({ request }) => request),
      );
      const news = new Map(onward.map(({ index }, k) => [index, [requested[k]!.handoff, ...(requested[k]!.escalation ? [requested[k]!.escalation!] : [])]]));
      for (const [k, { index, handoff, call }] of engaging.entries()) {
        const outcome = outcomes[k]!;
        const record = toEngagementRecord(outcome);
        const first = outcome.firstTouchpoint;
        const remember = async () => {
          if (!handoff.conversationId) return;
          await deps.shortTerm?.store(handoff.conversationId, {
            leadId: call.request.lead.leadId,
            activeIntent: first ? 'nurture' : 'triage_review',
            lastAgent: handoff.toAgent,
            pendingActions: outcome.nextActions.map((action) => action.action),
          });
        };
        works[index] =
          outcome.status !== 'EXECUTED' || !first
            ? { outcome: 'COMPLETED', detail: `No outreach: ${outcome.reason}`, result: record, afterCommit: remember }
            : {
                outcome: 'COMPLETED',
                detail: `First touchpoint: ${first.channel} "${first.template}"; ${outcome.nextActions.length} follow-ups queued`,
                result: record,
                news: news.get(index) ?? [],
                afterCommit: remember,
              };
      }
      return works;
    },
  };

  // Optimization's approved changes arrive on the same queue (optimization-plan-receiver.ts).
  const leads = deps.receipt.handler(receiver);
  const plans = deps.receipt.handler(optimizationPlanReceiver());
  return (payload, job) => (payload.type === 'OPTIMIZATION_TO_ENGAGEMENT' ? plans : leads)(payload, job);
}

/** Engagement → optimization, for a reached lead of a campaign. */
function toOptimization(handoff: ReceivedHandoff, campaignId: string): HandoffRequest {
  return {
    type: 'ENGAGEMENT_TO_OPTIMIZATION',
    trigger: 'TASK_COMPLETION',
    fromAgent: handoff.toAgent,
    toAgent: OPTIMIZATION_AGENT,
    leadId: handoff.context.lead.leadId,
    campaignId,
    conversationId: handoff.conversationId,
    flowId: handoff.flowId,
    parentId: handoff.id,
    context: { ...handoff.context, conversation: { conversationId: handoff.context.conversation.conversationId, lastAgent: handoff.toAgent } },
    continuation: 'optimization',
  };
}
