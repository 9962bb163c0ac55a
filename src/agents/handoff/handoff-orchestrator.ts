// The handoff orchestrator: every transfer of work between agents goes through
// here, the specification's "Handoff Context Preservation" made real.
//
//   REQUESTED → CONTEXT_BUILT → (ENRICHED …) → VALIDATED → ACCEPTED → COMPLETED | FAILED
//                                         └→ FAILED | ESCALATED (quality still below the gate)
//
// The packet is scored against what the receiving agent declares it needs; below
// the 0.7 gate it is enriched from memory and re-scored (at most MAX_ENRICHMENTS
// times, and only while enrichment adds something); still below, the handoff fails
// or escalates to a manager, by the caller's policy. A lead that keeps bouncing
// between two agents is escalated instead of handed over again (loop protection).
//
// Everything is written inside the caller's transaction; after commit the caller
// tells the orchestrator (`committed`, which reports to the metrics observer) and
// publishes the returned handoffs' events, so nobody sees a rolled-back state.
import { randomUUID } from 'node:crypto';
import type { HandoffStatus, HandoffTrigger, HandoffType } from '../../db/generated/prisma/enums.js';
import type { Handoff, HandoffEvent, Prisma } from '../../db/generated/prisma/client.js';
import type { BatonPubSub } from '../../events/event-bus.js';
import { handoffProgressEvent } from '../../events/handoff-progress.js';
import { MANAGER } from '../../domain/agent-ids.js';
import type { HandoffContext } from './handoff-context.js';
import { isTerminal, UNOBSERVED, type HandoffObserver } from './handoff-observer.js';
import { HANDOFF_QUALITY_THRESHOLD, scoreHandoffContext, type ContextRequirement, type HandoffQuality } from './handoff-quality.js';

export type RecordedHandoff = Handoff & { events: HandoffEvent[] };

/** What the receiving agent's work came to. A domain refusal is FAILED, not an exception (exceptions roll everything back). */
export interface AgentWork<R> {
  outcome: 'COMPLETED' | 'FAILED';
  detail: string;
  result: R;
}

export interface HandoffPlan<R> {
  type: HandoffType;
  trigger: HandoffTrigger;
  fromAgent: string;
  toAgent: string;
  leadId: string | null;
  campaignId: string | null;
  conversationId: string | null;
  parentId?: string | null;
  context: HandoffContext;
  requirements: readonly ContextRequirement[];
  /** Adds what memory holds to a packet that fell short; returns the packet unchanged when it knows nothing more. */
  enrich?: (context: HandoffContext, missing: readonly string[]) => Promise<HandoffContext>;
  /** Still below the gate after enrichment: fail, or ask a manager. */
  onLowQuality: 'FAIL' | 'ESCALATE';
  /** The receiving agent's work, in the same transaction. */
  execute: (context: HandoffContext, handoffId: string) => Promise<AgentWork<R>>;
  /** Names what a manager's approval continues with (see escalation-desk.ts). */
  continuation: string;
}

export interface HandoffOutcome<R> {
  handoff: RecordedHandoff;
  /** The receiving agent's result, when it ran. */
  result: R | null;
  /** The manager escalation this handoff raised, if any. */
  escalation: RecordedHandoff | null;
}

/** What a campaign's own escalation carries: the campaign, and no lead. */
export interface CampaignPacket {
  campaign: NonNullable<HandoffContext['campaign']>;
  builtAt: string;
}

export interface EscalationRequest {
  trigger: HandoffTrigger;
  fromAgent: string;
  leadId: string | null;
  campaignId: string | null;
  conversationId: string | null;
  parentId: string | null;
  reason: string;
  context: HandoffContext | CampaignPacket;
  continuation: string;
  /** The agent whose work approval would run. */
  target: string;
}

export interface HandoffOrchestrator {
  run<R>(tx: Prisma.TransactionClient, plan: HandoffPlan<R>): Promise<HandoffOutcome<R>>;
  escalate(tx: Prisma.TransactionClient, request: EscalationRequest): Promise<RecordedHandoff>;
  /**
   * Call once the transaction in which `run` and `escalate` wrote these handoffs
   * committed: each one `run` returned has reached its terminal status, each
   * one `escalate` returned is a new manager escalation; the observer hears of them.
   */
  committed(handoffs: readonly (RecordedHandoff | null)[]): void;
}

/** Enrichment rounds before giving up on a packet. */
export const MAX_ENRICHMENTS = 2;
/** Handoffs of one lead between the same two agents (either way) within the window before it counts as a loop. */
export const BOUNCE_LIMIT = 3;
export const BOUNCE_WINDOW_MS = 24 * 3600 * 1000;

export function createHandoffOrchestrator({
  now = () => new Date(),
  observe = UNOBSERVED,
}: {
  now?: () => Date;
  observe?: HandoffObserver;
} = {}): HandoffOrchestrator {
  async function escalate(tx: Prisma.TransactionClient, request: EscalationRequest): Promise<RecordedHandoff> {
    const events = new EventLog(now);
    events.record('REQUESTED', `${request.fromAgent} → ${MANAGER}: ${request.trigger.toLowerCase().replaceAll('_', ' ')}`);
    events.record('CONTEXT_BUILT', 'Context packet carried over for the manager');
    events.record('ESCALATED', `Awaiting a manager: ${request.reason}`);
    const context = { ...request.context, escalation: { reason: request.reason, continuation: request.continuation, target: request.target } };
    return write(tx, {
      id: randomUUID(),
      type: 'MANAGER_ESCALATION',
      trigger: request.trigger,
      fromAgent: request.fromAgent,
      toAgent: MANAGER,
      leadId: request.leadId,
      campaignId: request.campaignId,
      conversationId: request.conversationId,
      parentId: request.parentId,
      context,
      qualityScore: null,
      failureReason: null,
      processingTimeMs: 0,
      events,
      completedAt: null,
    });
  }

  async function run<R>(tx: Prisma.TransactionClient, plan: HandoffPlan<R>): Promise<HandoffOutcome<R>> {
    const started = performance.now();
    const id = randomUUID();
    const events = new EventLog(now);
    events.record('REQUESTED', `${plan.fromAgent} → ${plan.toAgent}: ${plan.trigger.toLowerCase().replaceAll('_', ' ')}`);

    const finish = async (fields: { context: HandoffContext; quality: HandoffQuality | null; failureReason: string | null }) =>
      write(tx, {
        id,
        type: plan.type,
        trigger: plan.trigger,
        fromAgent: plan.fromAgent,
        toAgent: plan.toAgent,
        leadId: plan.leadId,
        campaignId: plan.campaignId,
        conversationId: plan.conversationId,
        parentId: plan.parentId ?? null,
        context: fields.context,
        qualityScore: fields.quality?.score ?? null,
        failureReason: fields.failureReason,
        processingTimeMs: Math.round(performance.now() - started),
        events,
        completedAt: events.last === 'COMPLETED' ? now() : null,
      });
    const escalateFrom = async (handoff: RecordedHandoff, reason: string, trigger: HandoffTrigger) =>
      escalate(tx, {
        trigger,
        fromAgent: plan.fromAgent,
        leadId: plan.leadId,
        campaignId: plan.campaignId,
        conversationId: plan.conversationId,
        parentId: handoff.id,
        reason,
        context: plan.context,
        continuation: plan.continuation,
        target: plan.toAgent,
      });

    const bounces = plan.leadId ? await countBounces(tx, plan.leadId, plan.fromAgent, plan.toAgent, now()) : 0;
    if (bounces >= BOUNCE_LIMIT) {
      const reason = `Loop: ${bounces} handoffs between ${plan.fromAgent} and ${plan.toAgent} in the last 24 hours`;
      events.record('ESCALATED', reason);
      const handoff = await finish({ context: plan.context, quality: null, failureReason: reason });
      return { handoff, result: null, escalation: await escalateFrom(handoff, reason, 'ESCALATION_REQUIRED') };
    }

    let context = plan.context;
    events.record('CONTEXT_BUILT', `Context packet: ${describePacket(context)}`);
    let quality = scoreHandoffContext(context, plan.requirements, now());
    for (let round = 0; !quality.passed && plan.enrich && round < MAX_ENRICHMENTS; round++) {
      const enriched = await plan.enrich(context, quality.missing);
      const rescored = scoreHandoffContext(enriched, plan.requirements, now());
      if (rescored.score <= quality.score) break;
      events.record('ENRICHED', `Enriched from memory: quality ${quality.score.toFixed(2)} → ${rescored.score.toFixed(2)}`, rescored.score);
      context = enriched;
      quality = rescored;
    }

    const gaps = quality.missing.length > 0 ? ` (incomplete: ${quality.missing.join(', ')})` : '';
    if (!quality.passed) {
      const reason = `Context quality ${quality.score.toFixed(2)} is below ${HANDOFF_QUALITY_THRESHOLD}${gaps}`;
      if (plan.onLowQuality === 'FAIL') {
        events.record('FAILED', reason, quality.score);
        return { handoff: await finish({ context, quality, failureReason: reason }), result: null, escalation: null };
      }
      events.record('ESCALATED', `${reason}: escalated to a manager`, quality.score);
      const handoff = await finish({ context, quality, failureReason: reason });
      return { handoff, result: null, escalation: await escalateFrom(handoff, reason, 'ESCALATION_REQUIRED') };
    }

    events.record('VALIDATED', `Quality ${quality.score.toFixed(2)} ≥ ${HANDOFF_QUALITY_THRESHOLD}${gaps}`, quality.score);
    events.record('ACCEPTED', `${plan.toAgent} accepted the work`);
    const work = await plan.execute(context, id);
    events.record(work.outcome, work.detail);
    const handoff = await finish({ context, quality, failureReason: work.outcome === 'FAILED' ? work.detail : null });
    return { handoff, result: work.result, escalation: null };
  }

  function committed(handoffs: readonly (RecordedHandoff | null)[]): void {
    for (const handoff of handoffs) {
      if (!handoff) continue;
      if (handoff.type === 'MANAGER_ESCALATION') observe.escalated(handoff.trigger);
      else if (isTerminal(handoff.status)) observe.finished({ type: handoff.type, status: handoff.status, qualityScore: handoff.qualityScore });
    }
  }

  return { run, escalate, committed };
}

/** Publishes every event of the given handoffs, in order; call after the transaction committed. */
export async function publishHandoffs(pubsub: BatonPubSub, handoffs: readonly (RecordedHandoff | null)[]): Promise<void> {
  for (const handoff of handoffs) {
    if (!handoff) continue;
    for (const event of handoff.events) await pubsub.publish('handoff:progress', handoffProgressEvent(handoff, event));
  }
}

async function countBounces(tx: Prisma.TransactionClient, leadId: string, a: string, b: string, now: Date): Promise<number> {
  return tx.handoff.count({
    where: {
      leadId,
      createdAt: { gte: new Date(now.getTime() - BOUNCE_WINDOW_MS) },
      OR: [
        { fromAgent: a, toAgent: b },
        { fromAgent: b, toAgent: a },
      ],
    },
  });
}

function describePacket(context: HandoffContext): string {
  const parts = ['conversation', 'lead'];
  if (context.triage) parts.push('triage verdict');
  if (context.campaign) parts.push(`campaign ${context.campaign.campaignId}`);
  if (context.memory) parts.push('memory snapshot');
  return parts.join(', ');
}

interface HandoffRow {
  id: string;
  type: HandoffType;
  trigger: HandoffTrigger;
  fromAgent: string;
  toAgent: string;
  leadId: string | null;
  campaignId: string | null;
  conversationId: string | null;
  parentId: string | null;
  /** The packet, or for an escalation the packet it carries over plus why. */
  context: HandoffContext | ((HandoffContext | CampaignPacket) & { escalation: unknown });
  qualityScore: number | null;
  failureReason: string | null;
  processingTimeMs: number;
  events: EventLog;
  completedAt: Date | null;
}

/** One INSERT for the handoff and one for its events: ids are made here, and the events are known. */
async function write(tx: Prisma.TransactionClient, row: HandoffRow): Promise<RecordedHandoff> {
  const { events, context, ...fields } = row;
  const handoff = await tx.handoff.create({
    data: { ...fields, status: events.last, context: context as unknown as Prisma.InputJsonValue },
  });
  const recorded = events.entries.map((entry) => ({ ...entry, id: randomUUID(), handoffId: handoff.id }));
  await tx.handoffEvent.createMany({ data: recorded });
  return { ...handoff, events: recorded };
}

/** The status history of one handoff, in the order it happened. */
export class EventLog {
  readonly entries: { sequence: number; status: HandoffStatus; detail: string; qualityScore: number | null; occurredAt: Date }[] = [];
  constructor(
    private readonly now: () => Date,
    firstSequence = 1,
  ) {
    this.next = firstSequence;
  }
  private next: number;

  record(status: HandoffStatus, detail: string, qualityScore: number | null = null): void {
    this.entries.push({ sequence: this.next++, status, detail, qualityScore, occurredAt: this.now() });
  }

  get last(): HandoffStatus {
    const last = this.entries.at(-1);
    if (!last) throw new Error('EventLog is empty');
    return last.status;
  }
}
