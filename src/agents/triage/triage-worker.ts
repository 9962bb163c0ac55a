// The Lead Triage agent as a worker: it takes submitted leads from the triage
// queue, scores and routes them, and hands each to the engagement agent it
// chose, in one transaction: the verdicts, the handoffs (REQUESTED,
// CONTEXT_BUILT) and the engagement jobs exist together or not at all. The
// leads its worker holds at once are triaged together (src/jobs/job-batches.ts):
// a handful of multi-row statements for all of them. Idempotent: a lead whose
// flow was triaged already (a retry after the commit) is not triaged again.
import type { PrismaClient } from '../../db/generated/prisma/client.js';
import { TRIAGE_AGENT } from '../../domain/agent-ids.js';
import { leadInputOf } from '../../domain/lead.js';
import type { PersonalDataCipher } from '../../privacy/personal-data-cipher.js';
import type { BatonPubSub } from '../../events/event-bus.js';
import { batchedJobHandler, type BatchedJob } from '../../jobs/job-batches.js';
import type { JobHandler } from '../../jobs/job-queue.js';
import type { BestEffortShortTerm } from '../../memory/short-term/best-effort.js';
import { failFlow, settleFlows } from '../flows/flow-settlement.js';
import { buildTriageHandoffContext } from '../handoff/handoff-context.js';
import type { HandoffOrchestrator, HandoffRequest } from '../handoff/handoff-orchestrator.js';
import { leadProcessedEvent, type TriageAgent } from './triage-agent.js';

const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 30_000 };

/** Hears how long triage took and waited, for /metrics. */
export type TriageObserver = (timing: { processingTimeMs: number; queueWaitMs: number }) => void;

export function createTriageWorker(deps: {
  prisma: PrismaClient;
  pubsub: BatonPubSub;
  triage: TriageAgent;
  /** Opens the lead's sealed email and phone for scoring and the handoff packet. */
  cipher: PersonalDataCipher;
  orchestrator: HandoffOrchestrator;
  /** Where the conversation's working context is left for the next agent. */
  /** Best effort (src/memory/short-term/best-effort.ts): a write Redis could not take answers null. */
  shortTerm?: Pick<BestEffortShortTerm, 'store'>;
  observe?: TriageObserver;
  now?: () => Date;
}): JobHandler {
  const now = deps.now ?? (() => new Date());

  async function triageFlows(jobs: readonly BatchedJob[]): Promise<void> {
    const startedAt = performance.now();
    const waits = new Map(jobs.map(({ payload, job }) => [String(payload.flowId), job.queueWaitMs]));
    // Read outside the transaction: the flows still to triage, their leads, and what scoring them needs.
    const submitted = (
      await deps.prisma.leadFlow.findMany({
        where: { id: { in: [...waits.keys()] }, triagedAt: null, status: 'IN_PROGRESS' },
        include: { lead: { include: { campaign: { select: { id: true, name: true, budgetUsd: true } } } } },
      })
    ).map((flow) => ({ flow, lead: leadInputOf(flow.lead, deps.cipher), campaign: flow.lead.campaign }));
    if (submitted.length === 0) return; // gone, or triaged on an earlier attempt
    const inputs = await Promise.all(submitted.map(({ lead }) => deps.triage.scoringInputs(lead)));

    const done = await deps.prisma.$transaction(async (tx) => {
      // Those not triaged meanwhile by another worker; locked until this commits.
      const open = new Set(
        (
          await tx.$queryRaw<{ id: string }[]>`
            SELECT "id"::text FROM "LeadFlow" WHERE "id" = ANY(${submitted.map(({ flow }) => flow.id)}::uuid[]) AND "triagedAt" IS NULL
            ORDER BY "id" FOR UPDATE`
        ).map(({ id }) => id),
      );
      const pending = submitted.flatMap((entry, index) => (open.has(entry.flow.id) ? [{ ...entry, inputs: inputs[index]! }] : []));
      const triaged = await deps.triage.triage(tx, pending);
      const requests = pending.map(({ flow, lead, campaign, inputs }, index): HandoffRequest => {
        const { conversationId, triage, lead: stored } = triaged[index]!;
        return {
          type: 'TRIAGE_TO_ENGAGEMENT',
          trigger: 'TASK_COMPLETION',
          fromAgent: TRIAGE_AGENT,
          toAgent: triage.assignedAgent,
          leadId: lead.leadId,
          campaignId: campaign?.id ?? null,
          conversationId,
          flowId: flow.id,
          context: {
            ...buildTriageHandoffContext(lead, conversationId, triage, stored.triagedAt ?? now(), now()),
            campaign: campaign ? { campaignId: campaign.id, name: campaign.name, budgetUsd: campaign.budgetUsd } : null,
            // The memory snapshot as far as triage read it (how similar leads ended); the receiver recalls the other tiers.
            memory: {
              conversation: null,
              profile: null,
              similarEpisodes: { considered: inputs.evidence.considered, converted: inputs.evidence.converted },
              knowledge: [],
            },
          },
          continuation: 'engagement',
        };
      });
      const requested = await deps.orchestrator.request(tx, requests);
      const processingTimeMs = Math.round(performance.now() - startedAt);
      const flows = pending.map(({ flow }, index) => ({
        id: flow.id,
        triagedAt: triaged[index]!.lead.triagedAt ?? now(),
        triageWaitMs: Math.round(waits.get(flow.id) ?? 0),
      }));
      await tx.$executeRaw`
        UPDATE "LeadFlow" f SET "triagedAt" = t."triagedAt", "triageMs" = ${processingTimeMs}, "triageWaitMs" = t."triageWaitMs"
        FROM json_to_recordset(${JSON.stringify(flows)}::json) AS t("id" uuid, "triagedAt" timestamp(3), "triageWaitMs" int)
        WHERE f."id" = t."id"`;
      // Loop protection may have escalated a handoff already: its flow then settles here.
      const escalated = requested.flatMap(({ escalation }, index) => (escalation ? [pending[index]!.flow.id] : []));
      const settled = await settleFlows(tx, escalated, now());
      return { triaged, flowIds: pending.map(({ flow }) => flow.id), requested, settled, processingTimeMs };
    }, TRANSACTION_OPTIONS);

    for (const [index, { conversationId, lead }] of done.triaged.entries()) {
      deps.observe?.({ processingTimeMs: done.processingTimeMs, queueWaitMs: waits.get(done.flowIds[index]!) ?? 0 });
      await deps.shortTerm?.store(conversationId, { leadId: lead.id, activeIntent: 'triage_review', lastAgent: TRIAGE_AGENT });
    }
    for (const triaged of done.triaged) await deps.pubsub.publish('lead:processed', leadProcessedEvent(triaged, now()));
    await deps.orchestrator.announce(done.requested.flatMap(({ handoff, escalation }) => [handoff, escalation]));
    for (const settled of done.settled) await deps.pubsub.publish('flow:settled', settled);
  }

  return batchedJobHandler({
    run: triageFlows,
    // Out of attempts: the flow ends here, and whoever waits for it hears so.
    async recordFailure({ payload, job }) {
      if (job.attempt < job.maxAttempts) return;
      const settled = await deps.prisma.$transaction((tx) => failFlow(tx, String(payload.flowId), now()));
      await deps.pubsub.publish('flow:settled', settled);
    },
    // A lead's two flows touch the same rows: never in one batch.
    keyOf: ({ payload }) => String(payload.leadId ?? payload.flowId),
  });
}
