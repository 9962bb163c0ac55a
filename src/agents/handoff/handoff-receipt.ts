// The receiving side of a handoff: what the receiving agent's worker does with
// the job the sender queued. Two steps, each its own transaction, each
// committed and then published, so a subscriber sees the work advance:
//
//   1. the gate   score the packet against what the receiver needs; below 0.7,
//                 enrich it from memory and score again; still below: FAILED, or
//                 ESCALATED to a manager, by the receiver's policy. Passed:
//                 VALIDATED → ACCEPTED → IN_PROGRESS.
//   2. the work   the receiving agent's own work and its effects, and COMPLETED or
//                 FAILED, in one transaction: its effects happen exactly when the
//                 handoff says they did.
//
// Both steps are idempotent, keyed by the handoff and the step: each locks the
// handoff and does nothing when its step is already done (a step that committed
// before its worker died is not done again by the next). A step that throws is
// retried by the queue with backoff (RETRYING); on the last attempt the handoff
// FAILS with the reason.
import type { Handoff, Prisma, PrismaClient } from '../../db/generated/prisma/client.js';
import type { BatonPubSub } from '../../events/event-bus.js';
import type { JobContext } from '../../jobs/job-queue.js';
import { settleFlow, type SettledFlow } from '../flows/flow-settlement.js';
import type { HandoffContext } from './handoff-context.js';
import { EventLog, writeEvents, type RecordedHandoff } from './handoff-log.js';
import type { AgentWork, HandoffOrchestrator } from './handoff-orchestrator.js';
import { isTerminal, type HandoffObserver } from './handoff-observer.js';
import { HANDOFF_QUALITY_THRESHOLD, scoreHandoffContext, type ContextRequirement, type HandoffQuality } from './handoff-quality.js';

/** A handoff as its receiver reads it: the row, with its packet typed. */
export type ReceivedHandoff = Omit<Handoff, 'context'> & { context: HandoffContext };

/** A handoff locked for a step: the row, and the sequence its next event takes. */
type LockedHandoff = ReceivedHandoff & { nextSequence: number };

/** What a receiving agent declares: what it needs, how it fills gaps, and its work. */
export interface Receiver<P, R> {
  requirements: readonly ContextRequirement[];
  /** Still below the gate after enrichment: fail, or ask a manager. */
  onLowQuality(context: HandoffContext): 'FAIL' | 'ESCALATE';
  /** Names what a manager's approval of a low-quality escalation continues with (escalation-desk.ts). */
  continuation: string;
  /** Adds what memory holds to a packet that fell short; returns it unchanged when it knows nothing more. */
  enrich?(tx: Prisma.TransactionClient, context: HandoffContext, missing: readonly string[]): Promise<HandoffContext>;
  /** Reads that must not happen inside the work's transaction (see the engagement agent). */
  prepare(handoff: ReceivedHandoff): Promise<P>;
  /** The work, in its own transaction; the handoff is locked and IN_PROGRESS. */
  work(tx: Prisma.TransactionClient, handoff: ReceivedHandoff, prepared: P): Promise<AgentWork<R>>;
}

/** Enrichment rounds before giving up on a packet. */
export const MAX_ENRICHMENTS = 2;

const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 30_000 };

export interface HandoffReceipt {
  /** The job handler body of a receiving agent: gate, then work. Throws to have the queue retry. */
  receive<P, R>(handoffId: string, receiver: Receiver<P, R>, job: JobContext): Promise<void>;
}

export function createHandoffReceipt(deps: {
  prisma: PrismaClient;
  pubsub: BatonPubSub;
  orchestrator: HandoffOrchestrator;
  observe: Pick<HandoffObserver, 'worked'>;
  now?: () => Date;
}): HandoffReceipt {
  const now = deps.now ?? (() => new Date());

  /** What a committed step leaves to do: announce its handoffs, settle the flow's waiters, run its after-commit work. */
  async function announce(done: { news: (RecordedHandoff | null)[]; settled?: SettledFlow | null; afterCommit?: (() => Promise<void>) | undefined }) {
    await deps.orchestrator.announce(done.news);
    await done.afterCommit?.();
    if (done.settled) await deps.pubsub.publish('flow:settled', done.settled);
  }

  /** Step 1. Returns the handoff to work on, or null when the handoff ended at the gate or was done before. */
  async function gate<P, R>(handoffId: string, receiver: Receiver<P, R>, job: JobContext): Promise<ReceivedHandoff | null> {
    const done = await deps.prisma.$transaction(async (tx) => {
      const handoff = await lock(tx, handoffId);
      if (!handoff || isTerminal(handoff.status)) return { handoff: null, news: [] };
      if (handoff.acceptedAt) return { handoff, news: [] }; // passed the gate on an earlier attempt
      const log = new EventLog(now, handoff.nextSequence);
      let context = handoff.context;
      let quality = scoreHandoffContext(context, receiver.requirements, now());
      for (let round = 0; !quality.passed && receiver.enrich && round < MAX_ENRICHMENTS; round++) {
        const enriched = await receiver.enrich(tx, context, quality.missing);
        const rescored = scoreHandoffContext(enriched, receiver.requirements, now());
        if (rescored.score <= quality.score) break;
        log.record('ENRICHED', `Enriched from memory: quality ${quality.score.toFixed(2)} → ${rescored.score.toFixed(2)}`, rescored.score);
        context = enriched;
        quality = rescored;
      }
      const gaps = quality.missing.length > 0 ? ` (incomplete: ${quality.missing.join(', ')})` : '';
      if (!quality.passed) return refuse(tx, handoff, receiver, log, context, quality, gaps);

      log.record('VALIDATED', `Quality ${quality.score.toFixed(2)} ≥ ${HANDOFF_QUALITY_THRESHOLD}${gaps}`, quality.score);
      log.record('ACCEPTED', `${handoff.toAgent} accepted the work`);
      log.record('IN_PROGRESS', `${handoff.toAgent} is working on it`);
      const updated = await tx.handoff.update({
        where: { id: handoffId },
        data: {
          status: log.last,
          context: context as unknown as Prisma.InputJsonValue,
          qualityScore: quality.score,
          acceptedAt: now(),
          attempts: job.attempt,
          queueWaitMs: Math.round(job.queueWaitMs),
        },
      });
      return { handoff: { ...updated, context }, news: [{ ...updated, events: await writeEvents(tx, handoffId, log) }] };
    }, TRANSACTION_OPTIONS);
    await announce(done);
    return done.handoff;
  }

  /** Below the gate after enrichment: the handoff fails or escalates to a manager, and the flow may settle. */
  async function refuse<P, R>(
    tx: Prisma.TransactionClient,
    handoff: ReceivedHandoff,
    receiver: Receiver<P, R>,
    log: EventLog,
    context: HandoffContext,
    quality: HandoffQuality,
    gaps: string,
  ) {
    const reason = `Context quality ${quality.score.toFixed(2)} is below ${HANDOFF_QUALITY_THRESHOLD}${gaps}`;
    const escalate = receiver.onLowQuality(context) === 'ESCALATE';
    log.record(escalate ? 'ESCALATED' : 'FAILED', escalate ? `${reason}: escalated to a manager` : reason, quality.score);
    const updated = await tx.handoff.update({
      where: { id: handoff.id },
      data: { status: log.last, context: context as unknown as Prisma.InputJsonValue, qualityScore: quality.score, failureReason: reason, completedAt: now() },
    });
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
    const settled = await settleFlow(tx, handoff.flowId, now());
    return { handoff: null, news: [{ ...updated, events: await writeEvents(tx, handoff.id, log) }, escalation], settled };
  }

  /** Step 2: the receiver's work and its effects, with COMPLETED or FAILED, in one transaction. */
  async function perform<P, R>(handoffId: string, receiver: Receiver<P, R>, prepared: P, job: JobContext, startedAt: number): Promise<void> {
    const done = await deps.prisma.$transaction(async (tx) => {
      const handoff = await lock(tx, handoffId);
      if (!handoff?.acceptedAt || isTerminal(handoff.status)) return null; // done before this attempt
      const work = await receiver.work(tx, handoff, prepared);
      const log = new EventLog(now, handoff.nextSequence);
      log.record(work.outcome, work.detail);
      const processingTimeMs = Math.round(performance.now() - startedAt);
      const updated = await tx.handoff.update({
        where: { id: handoffId },
        data: {
          status: log.last,
          result: (work.result ?? undefined) as Prisma.InputJsonValue | undefined,
          failureReason: work.outcome === 'FAILED' ? work.detail : null,
          processingTimeMs,
          attempts: job.attempt,
          completedAt: now(),
        },
      });
      const settled = await settleFlow(tx, handoff.flowId, now());
      return {
        news: [{ ...updated, events: await writeEvents(tx, handoffId, log) }, ...(work.news ?? [])],
        settled,
        afterCommit: work.afterCommit,
        worked: { type: updated.type, processingTimeMs, queueWaitMs: updated.queueWaitMs ?? 0 },
      };
    }, TRANSACTION_OPTIONS);
    if (!done) return;
    deps.observe.worked(done.worked);
    await announce(done);
  }

  /** A try that threw: RETRYING, or on the last attempt FAILED (the flow may then settle). */
  async function recordFailure(handoffId: string, error: unknown, job: JobContext): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    const lastAttempt = job.attempt >= job.maxAttempts;
    const done = await deps.prisma.$transaction(async (tx) => {
      const handoff = await lock(tx, handoffId);
      if (!handoff || isTerminal(handoff.status)) return { news: [] };
      const log = new EventLog(now, handoff.nextSequence);
      const detail = lastAttempt
        ? `Gave up after ${job.attempt} attempts: ${message}`
        : `Attempt ${job.attempt} of ${job.maxAttempts} failed (${message}); retrying`;
      log.record(lastAttempt ? 'FAILED' : 'RETRYING', detail);
      const updated = await tx.handoff.update({
        where: { id: handoffId },
        data: { status: log.last, attempts: job.attempt, ...(lastAttempt ? { failureReason: detail, completedAt: now() } : {}) },
      });
      const settled = lastAttempt ? await settleFlow(tx, handoff.flowId, now()) : null;
      return { news: [{ ...updated, events: await writeEvents(tx, handoffId, log) }], settled };
    }, TRANSACTION_OPTIONS);
    await announce(done);
  }

  return {
    async receive(handoffId, receiver, job) {
      const startedAt = performance.now();
      try {
        const handoff = await gate(handoffId, receiver, job);
        if (!handoff) return;
        const prepared = await receiver.prepare(handoff);
        await perform(handoffId, receiver, prepared, job, startedAt);
      } catch (error) {
        await recordFailure(handoffId, error, job);
        if (job.attempt < job.maxAttempts) throw error;
      }
    },
  };
}

/**
 * The handoff, locked for this transaction (two workers holding the same job never
 * both act), with the sequence its next event takes: one round trip.
 */
async function lock(tx: Prisma.TransactionClient, handoffId: string): Promise<LockedHandoff | null> {
  const [handoff] = await tx.$queryRaw<LockedHandoff[]>`
    SELECT h.*, (SELECT coalesce(max(e."sequence"), 0) + 1 FROM "HandoffEvent" e WHERE e."handoffId" = h."id")::int AS "nextSequence"
    FROM "Handoff" h WHERE h."id" = ${handoffId}::uuid FOR UPDATE`;
  return handoff ?? null;
}
