// An operator supplies the context the quality gate asked for: the answer to a
// handoff waiting in CONTEXT_REQUESTED (the specification's "Request Additional
// Context", which loops back to context extraction). The supplied fields join
// the packet, the packet is scored again against the receiver's requirements
// (with what memory adds), and:
//
//   above 0.7      the handoff is ENRICHED, its job queued on the receiving
//                  agent's queue again (the receiver's gate then accepts it), and
//                  its flow is IN_PROGRESS again; committed, then published.
//   still not      BAD_USER_INPUT naming the fields still needed; nothing stored.
//
// A handoff that is not waiting for context is a conflict; an unknown one, not found.
import { openHandoff } from './sealed-handoff.js';
import type { PersonalDataCipher } from '../../privacy/personal-data-cipher.js';
import type { Handoff, Prisma, PrismaClient } from '../../db/generated/prisma/client.js';
import type { Persona } from '../../db/generated/prisma/enums.js';
import { ConflictError, InputError, NotFoundError, type InputIssue } from '../../errors.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import { withCampaignMetrics } from '../optimization/campaign-metrics-snapshot.js';
import { SUPPLIABLE_FIELDS, type SuppliableField } from './context-supply-fields.js';
import type { HandoffContext } from './handoff-context.js';
import { EventLog, writeEvents, type RecordedHandoff } from './handoff-log.js';
import { RECEIVING_QUEUE, type AgentHandoffType, type HandoffOrchestrator } from './handoff-orchestrator.js';
import { ENGAGEMENT_REQUIREMENTS, HANDOFF_QUALITY_THRESHOLD, OPTIMIZATION_REQUIREMENTS, scoreHandoffContext, type HandoffQuality } from './handoff-quality.js';
import { enrichFromMemory } from './memory-enrichment.js';

/** What an operator may supply: lead fields the receiving agent needs. Absent fields stay as the packet has them. */
export type SuppliedFields = Partial<Record<Exclude<SuppliableField, 'persona'>, string>> & { persona?: Persona };

export interface ContextSupplyRequest {
  handoffId: string;
  /** Who supplied it (the caller's subject). */
  by: string;
  context: SuppliedFields;
}

export interface ContextSupply {
  provide(request: ContextSupplyRequest): Promise<RecordedHandoff>;
}

/**
 * What each receiving agent's gate scores against, and what memory adds before it does (as its worker's gate would).
 * An approved plan (OPTIMIZATION_TO_ENGAGEMENT) never waits for context: short of it, it fails.
 */
const RECEIVERS: Record<
  Exclude<AgentHandoffType, 'OPTIMIZATION_TO_ENGAGEMENT'>,
  { requirements: typeof ENGAGEMENT_REQUIREMENTS; enrich(tx: Prisma.TransactionClient, context: HandoffContext): Promise<HandoffContext> }
> = {
  TRIAGE_TO_ENGAGEMENT: { requirements: ENGAGEMENT_REQUIREMENTS, enrich: async (_tx, context) => enrichFromMemory(context) },
  ENGAGEMENT_TO_OPTIMIZATION: { requirements: OPTIMIZATION_REQUIREMENTS, enrich: withCampaignMetrics },
};

const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 30_000 };

export function createContextSupply(deps: {
  prisma: PrismaClient;
  jobs: Pick<JobQueue, 'enqueue'>;
  orchestrator: Pick<HandoffOrchestrator, 'announce'>;
  /** Opens the waiting packet, seals it again with what the operator supplied (sealed-handoff.ts). */
  cipher: PersonalDataCipher;
  now?: () => Date;
}): ContextSupply {
  const now = deps.now ?? (() => new Date());
  const { cipher } = deps;

  async function provide({ handoffId, by, context: supplied }: ContextSupplyRequest): Promise<RecordedHandoff> {
    const fields = (Object.keys(supplied) as (keyof SuppliedFields)[]).filter((field) => supplied[field] !== undefined);
    if (fields.length === 0) throw new InputError([{ path: 'context', message: 'must supply at least one of email, phone, persona, source' }]);
    const resumed = await deps.prisma.$transaction(async (tx) => {
      // Locked: a worker's gate or a second operator must not act on it at the same time.
      await tx.$queryRaw`SELECT 1 FROM "Handoff" WHERE "id" = ${handoffId}::uuid FOR UPDATE`;
      const handoff = await tx.handoff.findUnique({ where: { id: handoffId }, include: { events: { orderBy: { sequence: 'asc' } } } });
      if (!handoff || handoff.type === 'MANAGER_ESCALATION') throw new NotFoundError('Handoff', handoffId);
      if (handoff.status !== 'CONTEXT_REQUESTED') {
        throw new ConflictError('Handoff', handoffId, `Handoff ${handoffId} is ${handoff.status}, not waiting for context (CONTEXT_REQUESTED)`);
      }
      if (handoff.type === 'OPTIMIZATION_TO_ENGAGEMENT') {
        throw new ConflictError('Handoff', handoffId, `Handoff ${handoffId} carries an approved plan, which never waits for context`);
      }
      const receiver = RECEIVERS[handoff.type];
      const packet = cipher.openJson(handoff.context) as unknown as HandoffContext;
      const before = handoff.qualityScore ?? scoreHandoffContext(packet, receiver.requirements, now()).score;
      const given: HandoffContext = {
        ...packet,
        lead: { ...packet.lead, ...supplied },
        contextRequest: null,
        supplied: [...(packet.supplied ?? []), { by, at: now().toISOString(), fields }],
      };
      const context = await receiver.enrich(tx, given);
      const quality = scoreHandoffContext(context, receiver.requirements, now());
      if (!quality.passed) throw new InputError(stillMissing(quality));

      const log = new EventLog(now, handoff.events.length + 1);
      log.record('ENRICHED', `Context supplied by ${by} (${fields.join(', ')}): quality ${before.toFixed(2)} → ${quality.score.toFixed(2)}`, quality.score);
      const updated = await tx.handoff.update({
        where: { id: handoffId },
        data: { status: 'ENRICHED', context: cipher.sealJson(context) as unknown as Prisma.InputJsonValue, qualityScore: quality.score, failureReason: null },
      });
      const [added] = await writeEvents(tx, cipher, [{ handoffId, log }]);
      await deps.jobs.enqueue(tx, [{ queue: RECEIVING_QUEUE[handoff.type], payload: { handoffId, leadId: handoff.leadId } }]);
      if (handoff.flowId) await reopenFlow(tx, handoff);
      return { ...openHandoff(cipher, updated), events: [...handoff.events, ...added!] };
    }, TRANSACTION_OPTIONS);
    // Only the event this added is news.
    await deps.orchestrator.announce([{ ...resumed, events: resumed.events.slice(-1) }]);
    return resumed;
  }

  return { provide };
}

/** The flow that settled CONTEXT_REQUESTED on this handoff runs again. */
async function reopenFlow(tx: Prisma.TransactionClient, handoff: Handoff): Promise<void> {
  await tx.$executeRaw`
    UPDATE "LeadFlow" SET "status" = 'IN_PROGRESS', "settledAt" = NULL
    WHERE "id" = ${handoff.flowId}::uuid AND "status" = 'CONTEXT_REQUESTED'`;
}

/**
 * What the operator still has to supply, each issue naming a field: the
 * uncovered requirements an operator can fill, or, when none can, those that
 * need something else first.
 */
function stillMissing(quality: HandoffQuality): InputIssue[] {
  const gate = `quality ${quality.score.toFixed(2)} is not above ${HANDOFF_QUALITY_THRESHOLD}`;
  const fillable = quality.missing.filter((name) => (SUPPLIABLE_FIELDS[name] ?? []).length > 0);
  if (fillable.length > 0) {
    return fillable.map((name) => ({
      path: `context.${SUPPLIABLE_FIELDS[name]![0]}`,
      message: `is still needed (${name}: supply ${SUPPLIABLE_FIELDS[name]!.join(' or ')}); ${gate}`,
    }));
  }
  return quality.missing.map((name) => ({
    path: 'context',
    message: `${name} is not covered and cannot be supplied here (${REMEDY[name] ?? 'see the handoff'}); ${gate}`,
  }));
}

const REMEDY: Record<string, string> = {
  metrics: "ingest the campaign's metrics first",
  campaign: 'the packet names no campaign',
  triageReasoning: 'submit the lead again to triage it afresh',
  triage: 'submit the lead again to triage it afresh',
};
