// The engagement agent receiving optimization's approved changes (an
// OPTIMIZATION_TO_ENGAGEMENT handoff, src/agents/optimization/approved-review.ts):
// it applies them to the campaign's engagement plan (campaign-plan.ts), which it
// reads for every later lead of the campaign, and completes the handoff with the
// plan as it now stands.
import type { Prisma } from '../../db/generated/prisma/client.js';
import type { AgentWork } from '../handoff/handoff-orchestrator.js';
import type { ContextRequirement } from '../handoff/handoff-quality.js';
import type { Receiver } from '../handoff/handoff-receipt.js';
import type { OptimizationPlanContext } from '../optimization/approved-review.js';
import { describeChange } from '../optimization/approved-review.js';
import { applyPlanChanges, type CampaignPlan } from './campaign-plan.js';

/** The packet's changes, as approved-review.ts wrote them; undefined for any other packet. */
function planOf(context: unknown): OptimizationPlanContext | undefined {
  return (context as { optimization?: OptimizationPlanContext }).optimization;
}

/** What engagement needs to apply a plan: the campaign and the changes. */
export const OPTIMIZATION_PLAN_REQUIREMENTS: ContextRequirement[] = [
  { name: 'campaign', weight: 0.5, coverage: (c) => (planOf(c)?.campaignId ? 1 : 0) },
  { name: 'changes', weight: 0.5, coverage: (c) => (planOf(c)?.changes?.length ? 1 : 0) },
];

export function optimizationPlanReceiver(): Receiver<null, CampaignPlan | null> {
  return {
    requirements: OPTIMIZATION_PLAN_REQUIREMENTS,
    // Without the campaign or the changes there is nothing a manager could approve into action.
    onLowQuality: () => 'FAIL',
    continuation: 'engagement-plan',
    prepare: async () => null,
    async work(tx, handoffs) {
      const works: AgentWork<CampaignPlan | null>[] = [];
      // One campaign's plan at a time: two approvals for it apply in order.
      for (const { handoff } of handoffs) works.push(await applyPlan(tx, handoff.id, planOf(handoff.context)!));
      return works;
    },
  };
}

/** Applies a plan's changes; FAILED when the campaign is gone. Also what approving a loop-held plan handoff runs (continuations.ts). */
export async function applyPlan(tx: Prisma.TransactionClient, handoffId: string, plan: OptimizationPlanContext): Promise<AgentWork<CampaignPlan | null>> {
  const campaign = await tx.campaign.findUnique({ where: { id: plan.campaignId }, select: { id: true } });
  if (!campaign) return { outcome: 'FAILED', detail: `Campaign ${plan.campaignId} no longer exists: nothing to apply`, result: null };
  const applied = await applyPlanChanges(tx, plan.campaignId, plan.changes, handoffId);
  return {
    outcome: 'COMPLETED',
    detail: `Applied to campaign ${plan.campaignId}'s engagement: ${plan.changes.map(describeChange).join('; ')}`,
    result: applied,
  };
}
