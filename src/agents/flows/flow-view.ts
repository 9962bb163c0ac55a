// A lead's flow as the doors answer it, read back from what the agents stored:
// the lead and its verdict, the triage → engagement handoff with its history,
// the first touchpoint and the follow-ups, the campaign's review handoff and any
// manager escalations. The same answer whether the flow settled while the
// caller waited or is still IN_PROGRESS.
import type { FlowStatus } from '../../db/generated/prisma/enums.js';
import type { Lead, LeadFlow, PrismaClient } from '../../db/generated/prisma/client.js';
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
  /**
   * True when this answers a re-submission: the lead was sent again with the same
   * data within the window, and this is its earlier flow (nothing ran again).
   * False when read by id, and for a submission that started the flow.
   */
  resubmitted: boolean;
}

export async function loadFlowView(prisma: PrismaClient, flowId: string, now = new Date()): Promise<FlowView> {
  const [view] = await loadFlowViews(prisma, [flowId], now);
  return view!;
}

/** Several flows in the queries of one (the doors load the flows of leads that settled together). Each must exist. */
export async function loadFlowViews(prisma: PrismaClient, flowIds: readonly string[], now = new Date()): Promise<FlowView[]> {
  const flows = await prisma.leadFlow.findMany({
    where: { id: { in: [...flowIds] } },
    include: {
      lead: { include: { conversation: { select: { id: true } } } },
      handoffs: { include: { events: { orderBy: { sequence: 'asc' } } }, orderBy: { createdAt: 'asc' } },
    },
  });
  const byId = new Map(flows.map((flow) => [flow.id, flow]));
  return flowIds.map((flowId) => {
    const flow = byId.get(flowId);
    if (!flow) throw new Error(`no flow ${flowId}`);
    return viewOf(flow, now);
  });
}

type LoadedFlow = LeadFlow & { lead: Lead & { conversation: { id: string } | null }; handoffs: RecordedHandoff[] };

function viewOf(flow: LoadedFlow, now: Date): FlowView {
  const { conversation, ...lead } = flow.lead;
  const byType = (type: RecordedHandoff['type']) => flow.handoffs.filter((handoff) => handoff.type === type);
  const handoff = byType('TRIAGE_TO_ENGAGEMENT')[0] ?? null;
  return {
    flowId: flow.id,
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
    resubmitted: false,
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
