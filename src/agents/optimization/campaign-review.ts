// One review of a campaign by the optimization agent: analyze, escalate to a
// manager when a KPI breaches its threshold with significance (trigger
// PERFORMANCE_THRESHOLD), and record the run linked to that escalation. The same
// review serves a lead's engagement → optimization handoff and an on-demand
// optimizeCampaign; it runs inside the caller's transaction.
import type { OptimizationRun, Prisma } from '../../db/generated/prisma/client.js';
import type { CampaignAlertEvent } from '../../events/event-bus.js';
import { OPTIMIZATION_AGENT } from '../../domain/agent-ids.js';
import type { HandoffContext } from '../handoff/handoff-context.js';
import type { CampaignPacket, HandoffOrchestrator, RecordedHandoff } from '../handoff/handoff-orchestrator.js';
import type { OptimizationAnalysis } from './analysis.js';
import type { OptimizationAgent } from './optimization-agent.js';
import type { ReportedKpis } from './reported-kpis.js';

export interface CampaignReview {
  analysis: OptimizationAnalysis;
  run: OptimizationRun;
  escalation: RecordedHandoff | null;
}

export interface ReviewRequest {
  campaignId: string;
  reported?: ReportedKpis | null;
  /** The flow the review belongs to, when a lead's handoff asked for it. */
  leadId: string | null;
  flowId: string | null;
  conversationId: string | null;
  parentId: string | null;
  context: HandoffContext | null;
}

export async function reviewCampaign(
  tx: Prisma.TransactionClient,
  agents: { optimization: OptimizationAgent; orchestrator: HandoffOrchestrator },
  request: ReviewRequest,
): Promise<CampaignReview> {
  const analysis = await agents.optimization.analyze(tx, request.campaignId, request.reported ?? null);
  const escalation =
    analysis.breaches.length === 0
      ? null
      : await agents.orchestrator.escalate(tx, {
          trigger: 'PERFORMANCE_THRESHOLD',
          fromAgent: OPTIMIZATION_AGENT,
          leadId: request.leadId,
          campaignId: request.campaignId,
          conversationId: request.conversationId,
          flowId: request.flowId,
          parentId: request.parentId,
          reason: analysis.breaches.map((breach) => breach.summary).join('; '),
          context: request.context ?? (await campaignPacket(tx, request.campaignId, analysis.analyzedAt)),
          continuation: 'optimization',
          target: OPTIMIZATION_AGENT,
        });
  const run = await agents.optimization.record(tx, analysis, escalation?.id ?? null);
  return { analysis, run, escalation };
}

/** The review's breaches as alerts for `campaignAlerts` subscribers; publish after commit. */
export function campaignAlerts(review: CampaignReview): CampaignAlertEvent[] {
  return review.analysis.breaches.map((breach) => ({
    campaignId: review.analysis.campaignId,
    kpi: breach.kpi,
    severity: breach.severity,
    summary: breach.summary,
    observed: breach.observed,
    threshold: breach.threshold,
    escalationId: review.escalation?.id ?? null,
    raisedAt: review.analysis.analyzedAt.toISOString(),
  }));
}

/** A campaign's own escalation concerns no lead: its packet holds the campaign alone. */
async function campaignPacket(tx: Prisma.TransactionClient, campaignId: string, at: Date): Promise<CampaignPacket> {
  const campaign = await tx.campaign.findUniqueOrThrow({ where: { id: campaignId } });
  return { campaign: { campaignId, name: campaign.name, budgetUsd: campaign.budgetUsd }, builtAt: at.toISOString() };
}
