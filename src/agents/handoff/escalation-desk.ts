// The manager's desk: escalations wait here until a person approves, rejects or
// reassigns them. Approval continues the flow the escalation interrupted (the
// continuation it names: e.g. run the engagement the quality gate held back);
// rejection ends it; reassignment hands the decision to someone else and keeps
// it open. Every decision is a status change on the escalation handoff, stored
// and published like any other.
import { openHandoff, sealHandoffText } from './sealed-handoff.js';
import type { PersonalDataCipher } from '../../privacy/personal-data-cipher.js';
import type { EscalationResolution, Handoff, Prisma, PrismaClient } from '../../db/generated/prisma/client.js';
import { ConflictError, InputError, NotFoundError } from '../../errors.js';
import { EventLog, writeEvents, type RecordedHandoff } from './handoff-log.js';
import type { AgentWork, HandoffOrchestrator } from './handoff-orchestrator.js';

export type EscalationDecision = 'APPROVE' | 'REJECT' | 'REASSIGN';

export interface Resolution {
  escalationId: string;
  decision: EscalationDecision;
  /** Who decided (the caller's subject). */
  by: string;
  note?: string | null;
  /** REASSIGN only: who decides instead. */
  reassignTo?: string | null;
}

/**
 * What approving an escalation continues with; registered by name. `prepare` does
 * the reads that must not happen inside the transaction (see the engagement agent).
 */
export interface Continuation {
  prepare?(escalation: Handoff): Promise<unknown>;
  /** `prepared` is what this continuation's own `prepare` returned. */
  run(tx: Prisma.TransactionClient, escalation: Handoff, prepared: unknown, note: string | null): Promise<AgentWork<unknown>>;
}

export interface EscalationDesk {
  resolve(resolution: Resolution): Promise<RecordedHandoff>;
}

/** Open escalations: the manager queue. */
export const OPEN_ESCALATIONS = { type: 'MANAGER_ESCALATION', status: 'ESCALATED' } satisfies Prisma.HandoffWhereInput;

const RESOLUTION_OF: Record<EscalationDecision, EscalationResolution> = { APPROVE: 'APPROVED', REJECT: 'REJECTED', REASSIGN: 'REASSIGNED' };
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 30_000 };

export function createEscalationDesk(deps: {
  prisma: PrismaClient;
  /** Publishes each decision's events, and tells the metrics of escalations a decision closes. */
  orchestrator: Pick<HandoffOrchestrator, 'announce'>;
  continuations: Readonly<Record<string, Continuation>>;
  /** Opens the escalation's packet for its continuation; seals the note and reasons a decision writes (sealed-handoff.ts). */
  cipher: PersonalDataCipher;
  now?: () => Date;
}): EscalationDesk {
  const now = deps.now ?? (() => new Date());
  const { cipher } = deps;

  async function resolve({ escalationId, decision, by, note = null, reassignTo = null }: Resolution): Promise<RecordedHandoff> {
    if (decision === 'REASSIGN' && !reassignTo) throw new InputError([{ path: 'reassignTo', message: 'is required to reassign' }]);
    const stored = decision === 'APPROVE' ? await deps.prisma.handoff.findUnique({ where: { id: escalationId } }) : null;
    const pending = stored && openHandoff(cipher, stored);
    const continuation = pending ? deps.continuations[continuationOf(pending)] : undefined;
    const prepared = pending && continuation?.prepare ? await continuation.prepare(pending) : undefined;
    // What the continuation requested or raised (optimization → engagement), announced once committed.
    let continued: Pick<AgentWork<unknown>, 'news' | 'afterCommit'> = {};
    const resolved = await deps.prisma.$transaction(async (tx) => {
      // Locked: two managers deciding at once must not both act.
      await tx.$queryRaw`SELECT 1 FROM "Handoff" WHERE "id" = ${escalationId}::uuid FOR UPDATE`;
      const locked = await tx.handoff.findUnique({ where: { id: escalationId }, include: { events: { orderBy: { sequence: 'asc' } } } });
      const escalation = locked && openHandoff(cipher, locked);
      if (escalation?.type !== 'MANAGER_ESCALATION') throw new NotFoundError('Escalation', escalationId);
      if (escalation.status !== 'ESCALATED') {
        const decided = `${escalation.resolution ?? escalation.status} by ${escalation.resolvedBy ?? 'unknown'}`;
        throw new ConflictError('Escalation', escalationId, `Escalation ${escalationId} is already resolved (${decided})`);
      }
      const events = new EventLog(now, escalation.events.length + 1);
      const remark = note ? `: ${note}` : '';
      if (decision === 'REASSIGN') {
        events.record('ESCALATED', `Reassigned to ${reassignTo} by ${by}${remark}`);
        return update(tx, escalation, events, { toAgent: reassignTo!, status: 'ESCALATED', resolution: 'REASSIGNED', by, note });
      }
      if (decision === 'REJECT') {
        events.record('FAILED', `Rejected by ${by}${remark}`);
        return update(tx, escalation, events, { status: 'FAILED', resolution: 'REJECTED', by, note, failureReason: `Rejected by ${by}${remark}` });
      }
      events.record('ACCEPTED', `Approved by ${by}${remark}`);
      const work = continuation
        ? await continuation.run(tx, escalation, prepared, note)
        : { outcome: 'COMPLETED' as const, detail: 'Acknowledged', result: null };
      continued = work;
      events.record(work.outcome, work.detail);
      return update(tx, escalation, events, {
        status: work.outcome,
        resolution: RESOLUTION_OF[decision],
        by,
        note,
        ...(work.outcome === 'FAILED' ? { failureReason: work.detail } : {}),
      });
    }, TRANSACTION_OPTIONS);
    // Only the events this decision added are news (a reassignment keeps the escalation open: it ends once).
    await deps.orchestrator.announce([{ ...resolved.handoff, events: resolved.handoff.events.slice(resolved.previousEvents) }, ...(continued.news ?? [])]);
    await continued.afterCommit?.();
    return resolved.handoff;
  }

  async function update(
    tx: Prisma.TransactionClient,
    escalation: Handoff & { events: RecordedHandoff['events'] },
    events: EventLog,
    change: {
      status: 'ESCALATED' | 'COMPLETED' | 'FAILED';
      resolution: EscalationResolution;
      by: string;
      note: string | null;
      toAgent?: string;
      failureReason?: string;
    },
  ): Promise<{ handoff: RecordedHandoff; previousEvents: number }> {
    const resolvedAt = now();
    const updated = await tx.handoff.update({
      where: { id: escalation.id },
      data: {
        status: change.status,
        resolution: change.resolution,
        resolvedBy: change.by,
        resolvedAt,
        resolutionNote: sealHandoffText(cipher, change.note),
        ...(change.toAgent ? { toAgent: change.toAgent } : {}),
        ...(change.failureReason ? { failureReason: sealHandoffText(cipher, change.failureReason) } : {}),
        ...(change.status === 'ESCALATED' ? {} : { completedAt: resolvedAt }),
      },
    });
    const [added] = await writeEvents(tx, cipher, [{ handoffId: escalation.id, log: events }]);
    return { handoff: { ...openHandoff(cipher, updated), events: [...escalation.events, ...added!] }, previousEvents: escalation.events.length };
  }

  return { resolve };
}

function continuationOf(escalation: Handoff): string {
  const context = escalation.context as { escalation?: { continuation?: string } } | null;
  return context?.escalation?.continuation ?? 'none';
}
