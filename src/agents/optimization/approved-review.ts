// A manager approved a campaign review's escalation: its recommendations act.
// Those that change engagement (engagement-changes.ts) go to engagement as an
// OPTIMIZATION_TO_ENGAGEMENT handoff, requested in the approval's transaction;
// the engagement worker applies them to the campaign's engagement plan
// (optimization-plan-receiver.ts) and completes it. The specification's
// "continue optimization": optimization → engagement, with recommendations.
import type { Handoff, Prisma } from '../../db/generated/prisma/client.js';
import { ENGAGEMENT_AGENT_BY_CATEGORY, OPTIMIZATION_AGENT } from '../../domain/agent-ids.js';
import type { PlanChange } from '../engagement/campaign-plan.js';
import type { HandoffContext } from '../handoff/handoff-context.js';
import type { AgentWork, HandoffOrchestrator } from '../handoff/handoff-orchestrator.js';
import { engagementChanges, type EngagementChanges } from './engagement-changes.js';
import type { Recommendation } from './recommendation.js';

/** What an OPTIMIZATION_TO_ENGAGEMENT handoff carries besides the escalation's packet. */
export interface OptimizationPlanContext {
  escalationId: string;
  optimizationRunId: string;
  campaignId: string;
  changes: PlanChange[];
  unchanged: EngagementChanges['unchanged'];
}

/** The packet: the escalation's own (lead and campaign, or the campaign alone), and the changes. */
export type OptimizationPlanPacket = Partial<HandoffContext> & { optimization: OptimizationPlanContext; builtAt: string };

/** The engagement agent that receives a campaign's plan: the lead's own when the review came from its flow, else the campaign tier's. */
const CAMPAIGN_ENGAGEMENT_AGENT = ENGAGEMENT_AGENT_BY_CATEGORY.CAMPAIGN_QUALIFIED;

export async function approveReview(
  tx: Prisma.TransactionClient,
  orchestrator: Pick<HandoffOrchestrator, 'request'>,
  escalation: Handoff,
  now: Date,
): Promise<AgentWork<{ optimizationRunId: string; handoffId: string | null } | null>> {
  const run = await tx.optimizationRun.findFirst({ where: { escalationId: escalation.id } });
  if (!run) return { outcome: 'COMPLETED', detail: 'Approved', result: null };
  const recommendations = (Array.isArray(run.recommendations) ? run.recommendations : []) as unknown as Recommendation[];
  const { changes, unchanged } = engagementChanges(recommendations);
  const approved = `Recommendations approved: ${recommendations.length} from optimization run ${run.id}`;
  if (changes.length === 0) {
    return { outcome: 'COMPLETED', detail: `${approved}; none changes engagement`, result: { optimizationRunId: run.id, handoffId: null } };
  }
  const { escalation: _question, ...packet } = escalation.context as Record<string, unknown>;
  const context: OptimizationPlanPacket = {
    ...(packet as Partial<HandoffContext>),
    optimization: { escalationId: escalation.id, optimizationRunId: run.id, campaignId: run.campaignId, changes, unchanged },
    builtAt: now.toISOString(),
  };
  const lead = escalation.leadId ? await tx.lead.findUnique({ where: { id: escalation.leadId }, select: { assignedAgent: true } }) : null;
  const [requested] = await orchestrator.request(tx, [
    {
      type: 'OPTIMIZATION_TO_ENGAGEMENT',
      trigger: 'TASK_COMPLETION',
      fromAgent: OPTIMIZATION_AGENT,
      toAgent: lead?.assignedAgent ?? CAMPAIGN_ENGAGEMENT_AGENT,
      leadId: escalation.leadId,
      campaignId: run.campaignId,
      conversationId: escalation.conversationId,
      // The campaign's plan outlives the lead's flow: it belongs to no flow.
      flowId: null,
      parentId: escalation.id,
      // The receiver reads the packet as an OptimizationPlanPacket (optimization-plan-receiver.ts).
      context: context as unknown as HandoffContext,
      continuation: 'engagement-plan',
    },
  ]);
  const handoff = requested!.handoff;
  const news = [handoff, ...(requested!.escalation ? [requested!.escalation] : [])];
  return {
    outcome: 'COMPLETED',
    detail: `${approved}; ${changes.length} handed to engagement (handoff ${handoff.id}): ${changes.map(describeChange).join('; ')}`,
    result: { optimizationRunId: run.id, handoffId: handoff.id },
    news,
  };
}

export function describeChange(change: PlanChange): string {
  if (change.kind === 'pause') return `pause ${change.target}`;
  const split = Object.entries(change.shares)
    .map(([channel, share]) => `${channel} ${Math.round((share ?? 0) * 1000) / 10} %`)
    .join(', ');
  return `channel split ${split}`;
}
