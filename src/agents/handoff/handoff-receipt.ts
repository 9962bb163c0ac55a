// The receiving side of a handoff: what the receiving agent's worker does with
// the jobs the senders queued. Two steps, each its own transaction, each
// committed and then published, so a subscriber sees the work advance:
//
//   0. recall     outside any transaction: what every memory tier holds for the
//                 lead (memory-enrichment.ts), restored into the packet.
//   1. the gate   score the packet against what the receiver needs; not above
//                 0.7: enrich it from memory and score again; still not above:
//                 CONTEXT_REQUESTED (it waits for an operator to supply what it
//                 lacks, see context-supply.ts), ESCALATED to a manager, or FAILED,
//                 by the receiver's policy. Passed: VALIDATED → ACCEPTED → IN_PROGRESS.
//   2. the work   the receiving agent's own work and its effects, and COMPLETED or
//                 FAILED, in one transaction: its effects happen exactly when the
//                 handoff says they did.
//
// The handoffs a worker holds at the same time take both steps together
// (src/jobs/job-batches.ts): one transaction per step for all of them, with
// multi-row statements, so a busy agent pays a step's round trips once per
// batch rather than once per lead.
//
// Both steps are idempotent, keyed by the handoff and the step: each locks its
// handoffs and skips those whose step is already done (a step that committed
// before its worker died is not done again by the next). A step that throws is
// retried by the queue with backoff (RETRYING); on the last attempt the handoff
// FAILS with the reason.
import type { Handoff, Prisma, PrismaClient } from '../../db/generated/prisma/client.js';
import type { BatonPubSub } from '../../events/event-bus.js';
import { batchedJobHandler, type BatchedJob } from '../../jobs/job-batches.js';
import type { JobContext, JobHandler } from '../../jobs/job-queue.js';
import { settleFlows, type SettledFlow } from '../flows/flow-settlement.js';
import { suppliableFields } from './context-supply-fields.js';
import type { HandoffContext, MemorySnapshot } from './handoff-context.js';
import { EventLog, writeEvents, type RecordedHandoff } from './handoff-log.js';
import type { AgentWork, HandoffOrchestrator } from './handoff-orchestrator.js';
import { isTerminal, type HandoffObserver } from './handoff-observer.js';
import { HANDOFF_QUALITY_THRESHOLD, scoreHandoffContext, type ContextRequirement, type HandoffQuality } from './handoff-quality.js';
import type { PersonalDataCipher } from '../../privacy/personal-data-cipher.js';
import { openHandoff, sealHandoffText } from './sealed-handoff.js';

/** A handoff as its receiver reads it: the row, with its packet typed. */
export type ReceivedHandoff = Omit<Handoff, 'context'> & { context: HandoffContext };

/** A handoff locked for a step: the row, and the sequence its next event takes. */
type LockedHandoff = ReceivedHandoff & { nextSequence: number };

/** What a receiving agent declares: what it needs, how it fills gaps, and its work. */
export interface Receiver<P, R> {
  requirements: readonly ContextRequirement[];
  /** Still below the gate after enrichment: wait for an operator's context, ask a manager, or fail. */
  onLowQuality(context: HandoffContext): LowQualityAction;
  /** Names what a manager's approval of a low-quality escalation continues with (escalation-desk.ts). */
  continuation: string;
  /** What memory holds for the packet's lead, read outside any transaction; restored into the packet before the gate. */
  recall?(context: HandoffContext): Promise<MemorySnapshot | null>;
  /** Adds what memory holds to a packet that fell short; returns it unchanged when it knows nothing more. */
  enrich?(tx: Prisma.TransactionClient, context: HandoffContext, missing: readonly string[]): Promise<HandoffContext>;
  /** Reads that must not happen inside the work's transaction (see the engagement agent). */
  prepare(handoff: ReceivedHandoff): Promise<P>;
  /**
   * The work on each handoff, in one transaction for all of them; each is locked
   * and IN_PROGRESS, and concerns another lead. One result per handoff, in order.
   */
  work(tx: Prisma.TransactionClient, handoffs: readonly { handoff: ReceivedHandoff; prepared: P }[]): Promise<AgentWork<R>[]>;
}

export type LowQualityAction = 'REQUEST_CONTEXT' | 'ESCALATE' | 'FAIL';

/** Enrichment rounds before giving up on a packet. */
export const MAX_ENRICHMENTS = 2;

const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 30_000 };

export interface HandoffReceipt {
  /**
   * The job handler of a receiving agent: gate, then work, for the handoffs its
   * worker holds at once. A try that throws is recorded (RETRYING, or FAILED on
   * the last attempt) and the queue retries it.
   */
  handler<P, R>(receiver: Receiver<P, R>): JobHandler;
}

/** A handoff's job, as a step takes it. */
interface HandoffJob {
  handoffId: string;
  job: JobContext;
}

/** What a committed step leaves to do. */
interface StepDone {
  news: (RecordedHandoff | null)[];
  settled: SettledFlow[];
  afterCommit?: (() => Promise<void>)[];
}

export function createHandoffReceipt(deps: {
  prisma: PrismaClient;
  pubsub: BatonPubSub;
  orchestrator: HandoffOrchestrator;
  observe: Pick<HandoffObserver, 'worked'>;
  /** Opens the packets the gate scores and the agents work on; seals what the steps write back (sealed-handoff.ts). */
  cipher: PersonalDataCipher;
  now?: () => Date;
}): HandoffReceipt {
  const now = deps.now ?? (() => new Date());
  const { cipher } = deps;
  const lock = (tx: Prisma.TransactionClient, jobs: readonly HandoffJob[]) => lockHandoffs(tx, cipher, jobs);
  const update = (tx: Prisma.TransactionClient, changes: readonly HandoffChange[]) => updateHandoffs(tx, cipher, changes);

  /** Announces a committed step's handoffs, runs its after-commit work, and tells the flows' waiters. */
  async function announce(done: StepDone): Promise<void> {
    await deps.orchestrator.announce(done.news);
    for (const after of done.afterCommit ?? []) await after();
    for (const settled of done.settled) await deps.pubsub.publish('flow:settled', settled);
  }

  /** Step 0: what memory holds for each handoff still to pass the gate, by handoff id. Outside any transaction. */
  async function recall<P, R>(jobs: readonly HandoffJob[], receiver: Receiver<P, R>): Promise<Map<string, MemorySnapshot>> {
    const recalled = new Map<string, MemorySnapshot>();
    if (!receiver.recall) return recalled;
    const waiting = await deps.prisma.handoff.findMany({
      where: {
        id: { in: jobs.map(({ handoffId }) => handoffId) },
        acceptedAt: null,
        status: { notIn: ['COMPLETED', 'FAILED', 'ESCALATED', 'CONTEXT_REQUESTED'] },
      },
      select: { id: true, context: true },
    });
    await Promise.all(
      waiting.map(async ({ id, context }) => {
        const snapshot = await receiver.recall!(cipher.openJson(context) as unknown as HandoffContext);
        if (snapshot) recalled.set(id, snapshot);
      }),
    );
    return recalled;
  }

  /** Step 1. Returns the handoffs to work on: those that passed now, or on an earlier attempt. */
  async function gate<P, R>(jobs: readonly HandoffJob[], receiver: Receiver<P, R>, recalled: ReadonlyMap<string, MemorySnapshot>): Promise<ReceivedHandoff[]> {
    const { passed, ...done } = await deps.prisma.$transaction(async (tx) => {
      const locked = await lock(tx, jobs);
      const passed: ReceivedHandoff[] = [];
      const accepted: { handoff: LockedHandoff; job: JobContext; log: EventLog; context: HandoffContext; quality: HandoffQuality }[] = [];
      const refused: { news: (RecordedHandoff | null)[]; flowId: string | null }[] = [];
      for (const { handoff, job } of locked) {
        // Ended, or waiting for an operator's context (provideHandoffContext queues it again).
        if (isTerminal(handoff.status) || handoff.status === 'CONTEXT_REQUESTED') continue;
        if (handoff.acceptedAt) {
          passed.push(handoff); // passed the gate on an earlier attempt
          continue;
        }
        const log = new EventLog(now, handoff.nextSequence);
        const memory = recalled.get(handoff.id);
        let context: HandoffContext = memory ? { ...handoff.context, memory } : handoff.context;
        let quality = scoreHandoffContext(context, receiver.requirements, now());
        for (let round = 0; !quality.passed && receiver.enrich && round < MAX_ENRICHMENTS; round++) {
          const enriched = await receiver.enrich(tx, context, quality.missing);
          const rescored = scoreHandoffContext(enriched, receiver.requirements, now());
          if (rescored.score <= quality.score) break;
          log.record('ENRICHED', `Enriched from memory: quality ${quality.score.toFixed(2)} → ${rescored.score.toFixed(2)}`, rescored.score);
          context = enriched;
          quality = rescored;
        }
        if (quality.passed) accepted.push({ handoff, job, log, context, quality });
        else refused.push(await refuse(tx, handoff, receiver, log, context, quality));
      }
      for (const { handoff, log, quality } of accepted) {
        log.record('VALIDATED', `Quality ${quality.score.toFixed(2)} > ${HANDOFF_QUALITY_THRESHOLD}${gaps(quality)}`, quality.score);
        log.record('ACCEPTED', `${handoff.toAgent} accepted the work`);
        log.record('IN_PROGRESS', `${handoff.toAgent} is working on it`);
      }
      const acceptedAt = now();
      const updated = await update(
        tx,
        accepted.map(({ handoff, job, log, context, quality }) => ({
          id: handoff.id,
          status: log.last,
          context,
          qualityScore: quality.score,
          acceptedAt,
          attempts: job.attempt,
          queueWaitMs: Math.round(job.queueWaitMs),
        })),
      );
      const events = await writeEvents(
        tx,
        cipher,
        accepted.map(({ handoff, log }) => ({ handoffId: handoff.id, log })),
      );
      passed.push(...accepted.map(({ context }, index) => ({ ...updated[index]!, context })));
      return {
        passed,
        news: [...updated.map((handoff, index) => ({ ...handoff, events: events[index]! })), ...refused.flatMap(({ news }) => news)],
        settled: await settleFlows(
          tx,
          refused.map(({ flowId }) => flowId),
          now(),
        ),
      };
    }, TRANSACTION_OPTIONS);
    await announce(done);
    return passed;
  }

  /** Not above the gate after enrichment: the handoff waits for an operator's context, escalates to a manager, or fails. */
  async function refuse<P, R>(
    tx: Prisma.TransactionClient,
    handoff: ReceivedHandoff,
    receiver: Receiver<P, R>,
    log: EventLog,
    context: HandoffContext,
    quality: HandoffQuality,
  ): Promise<{ news: (RecordedHandoff | null)[]; flowId: string | null }> {
    const verdict = quality.score < HANDOFF_QUALITY_THRESHOLD ? 'is below' : 'is not above';
    const reason = `Context quality ${quality.score.toFixed(2)} ${verdict} ${HANDOFF_QUALITY_THRESHOLD}${gaps(quality)}`;
    const action = receiver.onLowQuality(context);
    if (action === 'REQUEST_CONTEXT') {
      const fields = suppliableFields(quality.missing);
      const asked = fields.length > 0 ? `supply ${fields.join(' or ')}` : 'supply what is missing';
      log.record('CONTEXT_REQUESTED', `${reason}: waiting for an operator to ${asked}`, quality.score);
      const requested: HandoffContext = {
        ...context,
        contextRequest: { missing: quality.missing, fields, score: quality.score, requestedAt: now().toISOString() },
      };
      // The reason stays on the handoff while it waits (the doors' failure_reason says what it waits for); supplying the context clears it.
      const [updated] = await update(tx, [
        { id: handoff.id, status: log.last, context: requested, qualityScore: quality.score, failureReason: `${reason}: waiting for an operator to ${asked}` },
      ]);
      const [events] = await writeEvents(tx, cipher, [{ handoffId: handoff.id, log }]);
      return { news: [{ ...updated!, events: events! }], flowId: handoff.flowId };
    }
    const escalate = action === 'ESCALATE';
    log.record(escalate ? 'ESCALATED' : 'FAILED', escalate ? `${reason}: escalated to a manager` : reason, quality.score);
    const [updated] = await update(tx, [{ id: handoff.id, status: log.last, context, qualityScore: quality.score, failureReason: reason, completedAt: now() }]);
    const escalation = escalate
      ? await deps.orchestrator.escalate(tx, {
          trigger: 'ESCALATION_REQUIRED',
          fromAgent: handoff.fromAgent,
          leadId: handoff.leadId,
          campaignId: handoff.campaignId,
          conversationId: handoff.conversationId,
          flowId: handoff.flowId,
          parentId: handoff.id,
          reason,
          context,
          continuation: receiver.continuation,
          target: handoff.toAgent,
        })
      : null;
    const [events] = await writeEvents(tx, cipher, [{ handoffId: handoff.id, log }]);
    return { news: [{ ...updated!, events: events! }, escalation], flowId: handoff.flowId };
  }

  /** Step 2: the receiver's work and its effects, with COMPLETED or FAILED, in one transaction. */
  async function perform<P, R>(jobs: readonly HandoffJob[], receiver: Receiver<P, R>, prepared: Map<string, P>, startedAt: number): Promise<void> {
    const done = await deps.prisma.$transaction(async (tx) => {
      // Those not done before this attempt.
      const locked = (await lock(tx, jobs)).filter(({ handoff }) => handoff.acceptedAt && !isTerminal(handoff.status) && prepared.has(handoff.id));
      const works = await receiver.work(
        tx,
        locked.map(({ handoff }) => ({ handoff, prepared: prepared.get(handoff.id)! })),
      );
      const logs = locked.map(({ handoff }, index) => {
        const log = new EventLog(now, handoff.nextSequence);
        log.record(works[index]!.outcome, works[index]!.detail);
        return log;
      });
      const processingTimeMs = Math.round(performance.now() - startedAt);
      const completedAt = now();
      const updated = await update(
        tx,
        locked.map(({ handoff, job }, index) => {
          const work = works[index]!;
          return {
            id: handoff.id,
            status: logs[index]!.last,
            result: work.result ?? null,
            failureReason: work.outcome === 'FAILED' ? work.detail : null,
            processingTimeMs,
            attempts: job.attempt,
            completedAt,
            contextPreservation: work.contextPreservation ?? null,
          };
        }),
      );
      const events = await writeEvents(
        tx,
        cipher,
        locked.map(({ handoff }, index) => ({ handoffId: handoff.id, log: logs[index]! })),
      );
      return {
        news: [...updated.map((handoff, index) => ({ ...handoff, events: events[index]! })), ...works.flatMap((work) => work.news ?? [])],
        settled: await settleFlows(
          tx,
          locked.map(({ handoff }) => handoff.flowId),
          now(),
        ),
        afterCommit: works.flatMap((work) => (work.afterCommit ? [work.afterCommit] : [])),
        worked: updated.map((handoff) => ({ type: handoff.type, processingTimeMs, queueWaitMs: handoff.queueWaitMs ?? 0 })),
      };
    }, TRANSACTION_OPTIONS);
    for (const worked of done.worked) deps.observe.worked(worked);
    await announce(done);
  }

  /** A try that threw: RETRYING, or on the last attempt FAILED (the flow may then settle). */
  async function recordFailure({ handoffId, job }: HandoffJob, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    const lastAttempt = job.attempt >= job.maxAttempts;
    const done = await deps.prisma.$transaction(async (tx) => {
      const [locked] = await lock(tx, [{ handoffId, job }]);
      if (!locked || isTerminal(locked.handoff.status)) return { news: [], settled: [] };
      const log = new EventLog(now, locked.handoff.nextSequence);
      const detail = lastAttempt
        ? `Gave up after ${job.attempt} attempts: ${message}`
        : `Attempt ${job.attempt} of ${job.maxAttempts} failed (${message}); retrying`;
      log.record(lastAttempt ? 'FAILED' : 'RETRYING', detail);
      const [updated] = await update(tx, [
        { id: handoffId, status: log.last, attempts: job.attempt, ...(lastAttempt ? { failureReason: detail, completedAt: now() } : {}) },
      ]);
      const [events] = await writeEvents(tx, cipher, [{ handoffId, log }]);
      return {
        news: [{ ...updated!, events: events! }],
        settled: lastAttempt ? await settleFlows(tx, [locked.handoff.flowId], now()) : [],
      };
    }, TRANSACTION_OPTIONS);
    await announce(done);
  }

  return {
    handler(receiver) {
      const handoffJob = ({ payload, job }: BatchedJob): HandoffJob => ({ handoffId: String(payload.handoffId), job });
      return batchedJobHandler({
        async run(batch) {
          const startedAt = performance.now();
          const jobs = batch.map(handoffJob);
          const passed = await gate(jobs, receiver, await recall(jobs, receiver));
          if (passed.length === 0) return;
          const prepared = new Map(await Promise.all(passed.map(async (handoff) => [handoff.id, await receiver.prepare(handoff)] as const)));
          await perform(jobs, receiver, prepared, startedAt);
        },
        recordFailure: (job, error) => recordFailure(handoffJob(job), error),
        // Two handoffs of one lead touch the same rows: never in one batch.
        keyOf: ({ payload }) => String(payload.leadId ?? payload.handoffId),
      });
    },
  };
}

function gaps(quality: HandoffQuality): string {
  return quality.missing.length > 0 ? ` (incomplete: ${quality.missing.join(', ')})` : '';
}

/**
 * The jobs' handoffs, locked for this transaction (two workers holding the same
 * job never both act), each with the sequence its next event takes, and its packet
 * opened: one round trip. In the jobs' order; a handoff that is gone is left out.
 */
async function lockHandoffs(
  tx: Prisma.TransactionClient,
  cipher: PersonalDataCipher,
  jobs: readonly HandoffJob[],
): Promise<{ handoff: LockedHandoff; job: JobContext }[]> {
  const ids = jobs.map(({ handoffId }) => handoffId);
  const rows = await tx.$queryRaw<LockedHandoff[]>`
    SELECT h.*, (SELECT coalesce(max(e."sequence"), 0) + 1 FROM "HandoffEvent" e WHERE e."handoffId" = h."id")::int AS "nextSequence"
    FROM "Handoff" h WHERE h."id" = ANY(${ids}::uuid[]) ORDER BY h."id" FOR UPDATE`;
  const byId = new Map(rows.map((row) => [row.id, row]));
  return jobs.flatMap(({ handoffId, job }) => {
    const handoff = byId.get(handoffId);
    return handoff ? [{ handoff: openHandoff(cipher, handoff), job }] : [];
  });
}

/** A change to a handoff; what is absent stays as it is. */
interface HandoffChange {
  id: string;
  status: Handoff['status'];
  context?: HandoffContext;
  qualityScore?: number;
  result?: unknown;
  failureReason?: string | null;
  processingTimeMs?: number;
  attempts?: number;
  queueWaitMs?: number;
  acceptedAt?: Date;
  completedAt?: Date;
  contextPreservation?: number | null;
}

/** Applies the changes in one statement, packets, results and reasons sealed; returns the handoffs as they now are (opened), in the given order. */
async function updateHandoffs(tx: Prisma.TransactionClient, cipher: PersonalDataCipher, changes: readonly HandoffChange[]): Promise<Handoff[]> {
  if (changes.length === 0) return [];
  // A failure reason may be cleared (null); the other fields, when absent (or null), stay as they are.
  const rows = changes.map((change) => ({
    ...change,
    ...(change.context === undefined ? {} : { context: cipher.sealJson(change.context) }),
    ...(change.result === undefined || change.result === null ? {} : { result: cipher.sealJson(change.result) }),
    ...('failureReason' in change ? { failureReason: sealHandoffText(cipher, change.failureReason) } : {}),
    setFailureReason: 'failureReason' in change,
  }));
  const updated = await tx.$queryRaw<Handoff[]>`
    UPDATE "Handoff" h SET
      "status" = c."status"::"HandoffStatus",
      "context" = coalesce(c."context", h."context"),
      "qualityScore" = coalesce(c."qualityScore", h."qualityScore"),
      "result" = coalesce(c."result", h."result"),
      "failureReason" = CASE WHEN c."setFailureReason" THEN c."failureReason" ELSE h."failureReason" END,
      "processingTimeMs" = coalesce(c."processingTimeMs", h."processingTimeMs"),
      "attempts" = coalesce(c."attempts", h."attempts"),
      "queueWaitMs" = coalesce(c."queueWaitMs", h."queueWaitMs"),
      "acceptedAt" = coalesce(c."acceptedAt", h."acceptedAt"),
      "completedAt" = coalesce(c."completedAt", h."completedAt"),
      "contextPreservation" = coalesce(c."contextPreservation", h."contextPreservation"),
      "updatedAt" = now()
    FROM json_to_recordset(${JSON.stringify(rows)}::json)
         AS c("id" uuid, "status" text, "context" jsonb, "qualityScore" float8, "result" jsonb, "failureReason" text, "setFailureReason" boolean,
              "processingTimeMs" int, "attempts" int, "queueWaitMs" int, "acceptedAt" timestamp(3), "completedAt" timestamp(3),
              "contextPreservation" float8)
    WHERE h."id" = c."id"
    RETURNING h.*`;
  const byId = new Map(updated.map((handoff) => [handoff.id, handoff]));
  return changes.map(({ id }) => openHandoff(cipher, byId.get(id)!));
}
