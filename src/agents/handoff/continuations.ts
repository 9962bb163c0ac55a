// What a manager's approval continues with, by the name an escalation carries:
// `engagement` runs the outreach the quality gate (or loop protection) held back;
// `optimization` lets the reviewed campaign's recommendations stand as its plan.
import type { Continuation } from './escalation-desk.js';
import type { EngagementAgent, PreparedEngagement } from '../engagement/engagement-agent.js';
import type { Handoff, PrismaClient } from '../../db/generated/prisma/client.js';
import { leadInputOf, type LeadInput } from '../../domain/lead.js';
import { leadOfPacket, type HandoffContext } from './handoff-context.js';
import { enrichFromMemory } from './memory-enrichment.js';

export function createContinuations({ prisma, engagement }: { prisma: PrismaClient; engagement: EngagementAgent }): Record<string, Continuation> {
  return {
    engagement: {
      async prepare(escalation) {
        const lead = escalation.leadId ? await prisma.lead.findUnique({ where: { id: escalation.leadId } }) : null;
        return lead ? engagement.prepare(packetLead(escalation) ?? leadInputOf(lead)) : null;
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
            request: { lead: packetLead(escalation) ?? leadInputOf(lead), conversationId: lead.conversation?.id ?? null, triage, agent: lead.assignedAgent },
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
      async run(tx, escalation) {
        const run = await tx.optimizationRun.findFirst({ where: { escalationId: escalation.id } });
        const count = Array.isArray(run?.recommendations) ? run.recommendations.length : 0;
        return {
          outcome: 'COMPLETED',
          detail: run ? `Recommendations approved: ${count} from optimization run ${run.id} stand as the campaign's plan` : 'Approved',
          result: null,
        };
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
