// The Lead Triage agent as a worker: it takes a submitted lead from the triage
// queue, scores and routes it, and hands it to the engagement agent it chose,
// all in one transaction: the verdict, the handoff (REQUESTED, CONTEXT_BUILT)
// and the engagement job exist together or not at all. Idempotent: a lead whose
// flow was triaged already (a retry after the commit) is not triaged again.
import type { PrismaClient } from '../../db/generated/prisma/client.js';
import { TRIAGE_AGENT } from '../../domain/agent-ids.js';
import { leadInputOf } from '../../domain/lead.js';
import type { BatonPubSub } from '../../events/event-bus.js';
import type { JobContext } from '../../jobs/job-queue.js';
import type { ShortTermMemory } from '../../memory/short-term/short-term-memory.js';
import { failFlow, settleFlow } from '../flows/flow-settlement.js';
import { buildTriageHandoffContext, type HandoffContext } from '../handoff/handoff-context.js';
import type { HandoffOrchestrator, RecordedHandoff } from '../handoff/handoff-orchestrator.js';
import { leadProcessedEvent, type TriageAgent } from './triage-agent.js';

const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 30_000 };

/** Hears how long triage took and waited, for /metrics. */
export type TriageObserver = (timing: { processingTimeMs: number; queueWaitMs: number }) => void;

export function createTriageWorker(deps: {
  prisma: PrismaClient;
  pubsub: BatonPubSub;
  triage: TriageAgent;
  orchestrator: HandoffOrchestrator;
  /** Where the conversation's working context is left for the next agent. */
  shortTerm?: Pick<ShortTermMemory, 'store'>;
  observe?: TriageObserver;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());

  async function triageJob(payload: Record<string, unknown>, job: JobContext): Promise<void> {
    const flowId = String(payload.flowId);
    try {
      await triageFlow(flowId, job);
    } catch (error) {
      if (job.attempt < job.maxAttempts) throw error;
      // Out of attempts: the flow ends here, and whoever waits for it hears so.
      const settled = await deps.prisma.$transaction((tx) => failFlow(tx, flowId, now()));
      await deps.pubsub.publish('flow:settled', settled);
    }
  }

  async function triageFlow(flowId: string, job: JobContext): Promise<void> {
    const startedAt = performance.now();
    const submitted = await deps.prisma.leadFlow.findUnique({ where: { id: flowId }, include: { lead: true } });
    if (!submitted || submitted.triagedAt || submitted.status !== 'IN_PROGRESS') return; // gone, or triaged on an earlier attempt
    const lead = leadInputOf(submitted.lead);
    const [inputs, campaign] = await Promise.all([
      deps.triage.scoringInputs(lead),
      lead.campaignId ? deps.prisma.campaign.findUnique({ where: { id: lead.campaignId } }) : null,
    ]);

    const done = await deps.prisma.$transaction(async (tx) => {
      const [flow] = await tx.$queryRaw<{ triagedAt: Date | null }[]>`SELECT "triagedAt" FROM "LeadFlow" WHERE "id" = ${flowId}::uuid FOR UPDATE`;
      if (!flow || flow.triagedAt) return null;
      const triaged = await deps.triage.triage(tx, lead, inputs);
      const context: HandoffContext = {
        ...buildTriageHandoffContext(lead, triaged.conversationId, triaged.triage, triaged.lead.triagedAt ?? now(), now()),
        campaign: campaign ? { campaignId: campaign.id, name: campaign.name, budgetUsd: campaign.budgetUsd } : null,
      };
      const requested = await deps.orchestrator.request(tx, {
        type: 'TRIAGE_TO_ENGAGEMENT',
        trigger: 'TASK_COMPLETION',
        fromAgent: TRIAGE_AGENT,
        toAgent: triaged.triage.assignedAgent,
        leadId: lead.leadId,
        campaignId: campaign?.id ?? null,
        conversationId: triaged.conversationId,
        flowId,
        context,
        continuation: 'engagement',
      });
      const processingTimeMs = Math.round(performance.now() - startedAt);
      await tx.leadFlow.update({
        where: { id: flowId },
        data: { triagedAt: triaged.lead.triagedAt ?? now(), triageMs: processingTimeMs, triageWaitMs: Math.round(job.queueWaitMs) },
      });
      // Loop protection may have escalated the handoff already: the flow then settles here.
      const settled = requested.escalation ? await settleFlow(tx, flowId, now()) : null;
      return { triaged, news: [requested.handoff, requested.escalation] as (RecordedHandoff | null)[], settled, processingTimeMs };
    }, TRANSACTION_OPTIONS);
    if (!done) return;

    deps.observe?.({ processingTimeMs: done.processingTimeMs, queueWaitMs: job.queueWaitMs });
    await deps.shortTerm?.store(done.triaged.conversationId, { leadId: lead.leadId, activeIntent: 'triage_review', lastAgent: TRIAGE_AGENT });
    await deps.pubsub.publish('lead:processed', leadProcessedEvent(done.triaged, now()));
    await deps.orchestrator.announce(done.news);
    if (done.settled) await deps.pubsub.publish('flow:settled', done.settled);
  }

  return triageJob;
}
