// The Engagement agent as a worker: it takes a triage → engagement handoff from
// the engagement queue, and as its receiver (handoff-receipt.ts) declares what
// it needs in the packet, restores the lead's memory into it and fills gaps from
// there, plans and executes the outreach, and, for a campaign's lead, hands the
// campaign on to optimization. It also takes optimization's approved changes to
// a campaign's engagement (optimization-plan-receiver.ts).
//
// Context restoration: the agent decides from the packet it was handed (the
// lead, the verdict, the contact points its memory snapshot holds), not from a
// fresh read of the lead. The stored lead is read only to verify the packet:
// each handoff's context preservation accuracy (context-preservation.ts).
import type { PersonalDataCipher } from '../../privacy/personal-data-cipher.js';
import type { Channel } from '../../db/generated/prisma/enums.js';
import { OPTIMIZATION_AGENT } from '../../domain/agent-ids.js';
import type { LowQualityPolicy } from '../../config.js';
import { NotFoundError } from '../../errors.js';
import type { JobHandler } from '../../jobs/job-queue.js';
import type { BestEffortShortTerm } from '../../memory/short-term/best-effort.js';
import { contextPreservation, storedFacts, type PacketField } from '../handoff/context-preservation.js';
import { leadOfPacket, type CampaignMetricsSnapshot, type HandoffContext } from '../handoff/handoff-context.js';
import type { AgentWork, HandoffOrchestrator, HandoffRequest } from '../handoff/handoff-orchestrator.js';
import { ENGAGEMENT_REQUIREMENTS } from '../handoff/handoff-quality.js';
import type { HandoffReceipt, ReceivedHandoff, Receiver } from '../handoff/handoff-receipt.js';
import { enrichFromMemory, recallMemory, type MemoryTiers } from '../handoff/memory-enrichment.js';
import { campaignMetricsSnapshots } from '../optimization/campaign-metrics-snapshot.js';
import type { EngagementAgent, EngagementCall, PreparedEngagement } from './engagement-agent.js';
import { toEngagementRecord, type EngagementRecord } from './engagement-record.js';
import { optimizationPlanReceiver } from './optimization-plan-receiver.js';

export function createEngagementWorker(deps: {
  engagement: EngagementAgent;
  /** Opens the stored facts (the lead's sealed contact, its profile) the packets are verified against. */
  cipher: PersonalDataCipher;
  receipt: HandoffReceipt;
  orchestrator: HandoffOrchestrator;
  /** Where the conversation's working context is left (and recalled from). */
  /** Best effort (src/memory/short-term/best-effort.ts): a write Redis could not take answers null. */
  shortTerm?: Pick<BestEffortShortTerm, 'store' | 'retrieve'>;
  /** The other memory tiers the gate recalls the lead from (long-term profile, episodes, knowledge graph). */
  memory?: Omit<MemoryTiers, 'shortTerm'>;
  /** A packet still not above the gate after enrichment: wait for an operator's context, or escalate to a manager. */
  lowQualityPolicy?: LowQualityPolicy;
  /** False when nobody reviews campaigns: the flow then ends with engagement. */
  handsCampaignsToOptimization: boolean;
}): JobHandler {
  const receiver: Receiver<PreparedEngagement, EngagementRecord | null> = {
    requirements: ENGAGEMENT_REQUIREMENTS,
    onLowQuality: () => (deps.lowQualityPolicy === 'escalate' ? 'ESCALATE' : 'REQUEST_CONTEXT'),
    continuation: 'engagement',
    recall: (context) => recallMemory({ shortTerm: deps.shortTerm, ...deps.memory }, context),
    enrich: async (_tx, context) => enrichFromMemory(context),
    prepare: ({ context }) => deps.engagement.prepare(restoredLead(context)),

    async work(tx, handoffs) {
      // Read to verify the packets (and to know the leads still exist), not to decide.
      const stored = await storedFacts(
        tx,
        handoffs.map(({ handoff }) => handoff.context.lead.leadId),
        deps.cipher,
      );
      const works: AgentWork<EngagementRecord | null>[] = [];
      const engaging: { index: number; call: EngagementCall; handoff: ReceivedHandoff }[] = [];
      for (const [index, { handoff, prepared }] of handoffs.entries()) {
        if (!stored.has(handoff.context.lead.leadId)) throw new NotFoundError('Lead', handoff.context.lead.leadId);
        const triage = handoff.context.triage;
        if (!triage) {
          works[index] = { outcome: 'FAILED', detail: 'The packet carries no triage verdict', result: null };
          continue;
        }
        const request = {
          lead: restoredLead(handoff.context),
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
      // The campaign context carries the campaign's metrics as they stand: what optimization needs most.
      const metrics = await campaignMetricsSnapshots(
        tx,
        onward.map(({ request }) => request.campaignId!),
      );
      const requested = await deps.orchestrator.request(
        tx,
        onward.map(({ request }) => withMetrics(request, metrics)),
      );
      const news = new Map(onward.map(({ index }, k) => [index, [requested[k]!.handoff, ...(requested[k]!.escalation ? [requested[k]!.escalation!] : [])]]));
      for (const [k, { index, handoff, call }] of engaging.entries()) {
        const outcome = outcomes[k]!;
        const record = toEngagementRecord(outcome);
        const first = outcome.firstTouchpoint;
        const used = usedFields(
          outcome.plan.map((step) => step.channel),
          news.has(index),
        );
        const preservation = contextPreservation(handoff.context, used, stored.get(handoff.context.lead.leadId)!).accuracy;
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
            ? { outcome: 'COMPLETED', detail: `No outreach: ${outcome.reason}`, result: record, afterCommit: remember, contextPreservation: preservation }
            : {
                outcome: 'COMPLETED',
                detail: `First touchpoint: ${first.channel} "${first.template}"; ${outcome.nextActions.length} follow-ups queued`,
                result: record,
                news: news.get(index) ?? [],
                afterCommit: remember,
                contextPreservation: preservation,
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

/**
 * The lead as the packet hands it over, with the contact points and persona its
 * memory snapshot holds where the packet's own lead fields are empty.
 */
function restoredLead(context: HandoffContext) {
  return leadOfPacket(enrichFromMemory(context));
}

/**
 * The packet fields an engagement decision used: the ids that thread the work,
 * the segment (industry, size, persona) and the verdict's tier and score that
 * chose the play, the contact points its steps were addressed to, and the
 * campaign it handed on.
 */
function usedFields(channels: readonly Channel[], handedOn: boolean): Set<PacketField> {
  const used = new Set<PacketField>([
    'conversation.conversationId',
    'lead.leadId',
    'lead.industry',
    'lead.companySize',
    'lead.persona',
    'triage.category',
    'triage.score',
  ]);
  if (channels.includes('EMAIL')) used.add('lead.email');
  if (channels.includes('SMS') || channels.includes('CALL')) used.add('lead.phone');
  if (handedOn) used.add('campaign.campaignId');
  return used;
}

function withMetrics(request: HandoffRequest, metrics: ReadonlyMap<string, CampaignMetricsSnapshot>): HandoffRequest {
  const campaign = request.context.campaign;
  if (!campaign) return request;
  return { ...request, context: { ...request.context, campaign: { ...campaign, metrics: metrics.get(campaign.campaignId) ?? null } } };
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
    context: {
      ...handoff.context,
      contextRequest: null,
      conversation: { conversationId: handoff.context.conversation.conversationId, lastAgent: handoff.toAgent },
    },
    continuation: 'optimization',
  };
}
