// What a manager's approval continues with, by the name an escalation carries:
// `engagement` runs the outreach the quality gate (or loop protection) held back;
// `optimization` applies the reviewed campaign's recommendations: those that change
// engagement are handed to it (src/agents/optimization/approved-review.ts);
// `engagement-plan` applies optimization's changes a loop check held back.
import { applyPlan } from '../engagement/optimization-plan-receiver.js';
import { approveReview, type OptimizationPlanContext } from '../optimization/approved-review.js';
import type { Continuation } from './escalation-desk.js';
import type { HandoffOrchestrator } from './handoff-orchestrator.js';
import type { EngagementAgent, PreparedEngagement } from '../engagement/engagement-agent.js';
import type { Handoff, PrismaClient } from '../../db/generated/prisma/client.js';
import { leadInputOf, type LeadInput } from '../../domain/lead.js';
import type { PersonalDataCipher } from '../../privacy/personal-data-cipher.js';
import { leadOfPacket, type HandoffContext } from './handoff-context.js';
import { enrichFromMemory } from './memory-enrichment.js';

export function createContinuations({
  prisma,
  cipher,
  engagement,
  orchestrator,
  now = () => new Date(),
}: {
  prisma: PrismaClient;
  /** Opens the lead's sealed email and phone. */
  cipher: PersonalDataCipher;
  engagement: EngagementAgent;
  orchestrator: Pick<HandoffOrchestrator, 'request'>;
  now?: () => Date;
}): Record<string, Continuation> {
  return {
    engagement: {
      async prepare(escalation) {
        const lead = escalation.leadId ? await prisma.lead.findUnique({ where: { id: escalation.leadId } }) : null;
        return lead ? engagement.prepare(packetLead(escalation) ?? leadInputOf(lead, cipher)) : null;
      },
      async run(tx, escalation, prepared) {
        const lead = escalation.leadId ? await tx.lead.findUnique({ where: { id: escalation.leadId }, include: { conversation: true } }) : null;
        if (!lead || !prepared || !lead.category || !lead.assignedAgent || lead.score === null) {
          return { outcome: 'FAILED', detail: 'The lead is gone or was never triaged: nothing to engage', result: null };
        }
        const triage = { category: lead.category, assignedAgent: lead.assignedAgent, score: lead.score };
        const [outcome] = await engagement.engage(tx, [
          {
            prepared: prepared as PreparedEngagement,
            request: {
              lead: packetLead(escalation) ?? leadInputOf(lead, cipher),
              conversationId: lead.conversation?.id ?? null,
              triage,
              agent: lead.assignedAgent,
            },
          },
        ]);
        const engaged = outcome!;
        const first = engaged.firstTouchpoint;
        return engaged.status === 'EXECUTED' && first
          ? { outcome: 'COMPLETED', detail: `Engagement ran: ${first.channel} "${first.template}"`, result: engaged }
          : { outcome: 'COMPLETED', detail: `No outreach: ${engaged.reason}`, result: engaged };
      },
    },
    optimization: {
      run: (tx, escalation) => approveReview(tx, orchestrator, escalation, now()),
    },
    // An optimization → engagement handoff held back (loop protection): approval applies its changes.
    'engagement-plan': {
      async run(tx, escalation) {
        const plan = (escalation.context as { optimization?: OptimizationPlanContext } | null)?.optimization;
        if (!plan) return { outcome: 'FAILED', detail: 'The escalation carries no optimization changes', result: null };
        return applyPlan(tx, escalation.id, plan);
      },
    },
  };
}

/**
 * The lead as the escalated handoff's packet carries it, with what its memory
 * snapshot holds (an email in the profile): the work the manager approved runs
 * on the context the gate saw. Null when the escalation carries no lead packet.
 */
function packetLead(escalation: Handoff): LeadInput | null {
  const context = escalation.context as Partial<HandoffContext> | null;
  if (!context?.lead || !context.conversation) return null;
  return leadOfPacket(enrichFromMemory({ memory: null, triage: null, campaign: null, builtAt: '', ...context } as HandoffContext));
}
