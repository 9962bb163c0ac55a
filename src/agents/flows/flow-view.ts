// A lead's flow as the doors answer it, read back from what the agents stored:
// the lead and its verdict, the triage → engagement handoff with its history,
// the first touchpoint and the follow-ups, the campaign's review handoff and any
// manager escalations. The same answer whether the flow settled while the
// caller waited or is still IN_PROGRESS.
import type { FlowStatus } from '../../db/generated/prisma/enums.js';
import type { Lead, PrismaClient } from '../../db/generated/prisma/client.js';
import { executedEngagementOf, type ExecutedEngagement } from '../engagement/engagement-record.js';
import type { RecordedHandoff } from '../handoff/handoff-log.js';
import type { TriageFactor, TriageResult } from '../triage/triage.js';

export interface FlowView {
  flowId: string;
  status: FlowStatus;
  /** True when the handoff to engagement passed its quality gate and engagement ran. */
  success: boolean;
  lead: Lead;
  conversationId: string | null;
  /** Null until the triage worker has scored the lead. */
  triage: TriageResult | null;
  /** Triage → engagement; null until triage handed the lead over. */
  handoff: RecordedHandoff | null;
  /** The first touchpoint and the follow-ups, when engagement executed. */
  engagement: ExecutedEngagement | null;
  /** Engagement → optimization, for a campaign's lead. */
  optimizationHandoff: RecordedHandoff | null;
  /** Manager escalations the flow raised (low context quality, a loop, a KPI breach). */
  escalations: RecordedHandoff[];
  /** From submission to settlement (or to now, while in progress). */
  processingTimeMs: number;
}

export async function loadFlowView(prisma: PrismaClient, flowId: string, now = new Date()): Promise<FlowView> {
  const flow = await prisma.leadFlow.findUniqueOrThrow({
    where: { id: flowId },
    include: {
      lead: { include: { conversation: { select: { id: true } } } },
      handoffs: { include: { events: { orderBy: { sequence: 'asc' } } }, orderBy: { createdAt: 'asc' } },
    },
  });
  const { conversation, ...lead } = flow.lead;
  const byType = (type: RecordedHandoff['type']) => flow.handoffs.filter((handoff) => handoff.type === type);
  const handoff = byType('TRIAGE_TO_ENGAGEMENT')[0] ?? null;
  return {
    flowId,
    status: flow.status,
    success: handoff?.status === 'COMPLETED',
    lead,
    conversationId: conversation?.id ?? null,
    triage: flow.triagedAt ? triageOf(lead) : null,
    handoff,
    engagement: handoff && executedEngagementOf(handoff.result),
    optimizationHandoff: byType('ENGAGEMENT_TO_OPTIMIZATION')[0] ?? null,
    escalations: byType('MANAGER_ESCALATION'),
    processingTimeMs: (flow.settledAt ?? now).getTime() - flow.submittedAt.getTime(),
  };
}

/** The verdict as stored on the lead. */
function triageOf(lead: Lead): TriageResult | null {
  if (lead.category === null || lead.score === null || lead.confidence === null || !lead.assignedAgent || !lead.modelVersion) return null;
  return {
    category: lead.category,
    score: lead.score,
    confidence: lead.confidence,
    assignedAgent: lead.assignedAgent,
    reasoning: lead.reasoning ?? '',
    factors: (lead.factors ?? []) as unknown as TriageFactor[],
    modelVersion: lead.modelVersion,
  };
}
