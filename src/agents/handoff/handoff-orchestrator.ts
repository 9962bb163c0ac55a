// The handoff orchestrator, sending side: every transfer of work between agents
// starts here, the specification's "Handoff Context Preservation" made durable.
//
//   sender's transaction:   REQUESTED → CONTEXT_BUILT, and a job on the receiver's queue
//   receiver's worker:      (ENRICHED …) → VALIDATED → ACCEPTED → IN_PROGRESS → COMPLETED | FAILED
//                           └→ FAILED | ESCALATED (quality still below the gate)   (handoff-receipt.ts)
//
// The handoff row and its job are written in the sender's transaction: both
// exist, or neither. A lead that keeps bouncing between two agents is escalated
// to a manager instead of being handed over again (loop protection).
//
// Nothing is published from inside a transaction: each step returns what it
// wrote, and `announce` publishes it (and tells the metrics) once it committed.
import { randomUUID } from 'node:crypto';
import type { HandoffTrigger, HandoffType } from '../../db/generated/prisma/enums.js';
import type { Prisma } from '../../db/generated/prisma/client.js';
import type { BatonPubSub } from '../../events/event-bus.js';
import type { JobQueue, QueueName } from '../../jobs/job-queue.js';
import { MANAGER } from '../../domain/agent-ids.js';
import type { HandoffContext } from './handoff-context.js';
import { EventLog, publishHandoffs, writeEvents, type RecordedHandoff } from './handoff-log.js';
import { isTerminal, UNOBSERVED, type HandoffObserver } from './handoff-observer.js';

export type { RecordedHandoff };

/** What the receiving agent's work came to. A domain refusal is FAILED, not an exception (exceptions are retried). */
export interface AgentWork<R> {
  outcome: 'COMPLETED' | 'FAILED';
  detail: string;
  result: R;
  /** Handoffs the work requested or raised (the next agent's, an escalation): announced with it. */
  news?: RecordedHandoff[];
  /** Runs once the work's transaction committed (publishing what it found, say). */
  afterCommit?: () => Promise<void>;
}

/** A transfer between two agents: the receiving agent's queue is its type's. */
export type AgentHandoffType = Exclude<HandoffType, 'MANAGER_ESCALATION'>;

export const RECEIVING_QUEUE: Record<AgentHandoffType, QueueName> = {
  TRIAGE_TO_ENGAGEMENT: 'engagement',
  ENGAGEMENT_TO_OPTIMIZATION: 'optimization',
};

export interface HandoffRequest {
  type: AgentHandoffType;
  trigger: HandoffTrigger;
  fromAgent: string;
  toAgent: string;
  leadId: string | null;
  campaignId: string | null;
  conversationId: string | null;
  flowId: string | null;
  parentId?: string | null;
  context: HandoffContext;
  /** Names what a manager's approval continues with, should the handoff be escalated (see escalation-desk.ts). */
  continuation: string;
}

export interface RequestedHandoff {
  handoff: RecordedHandoff;
  /** Set when loop protection escalated the handoff to a manager instead of handing it over. */
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
  flowId: string | null;
  parentId: string | null;
  reason: string;
  context: HandoffContext | CampaignPacket;
  continuation: string;
  /** The agent whose work approval would run. */
  target: string;
}

export interface HandoffOrchestrator {
  /** Records the handoff (REQUESTED, CONTEXT_BUILT) and queues it for the receiving agent, in `tx`. */
  request(tx: Prisma.TransactionClient, request: HandoffRequest): Promise<RequestedHandoff>;
  /** Raises a manager escalation in `tx`; it waits in the manager queue (ESCALATED). */
  escalate(tx: Prisma.TransactionClient, request: EscalationRequest): Promise<RecordedHandoff>;
  /**
   * Call once the transaction that wrote these handoffs' new events committed:
   * publishes the events, in order, and tells the metrics of handoffs that ended
   * and escalations raised.
   */
  announce(handoffs: readonly (RecordedHandoff | null)[]): Promise<void>;
}

/** Handoffs of one lead between the same two agents (either way) within the window before it counts as a loop. */
export const BOUNCE_LIMIT = 3;
export const BOUNCE_WINDOW_MS = 24 * 3600 * 1000;

export function createHandoffOrchestrator(deps: {
  jobs: Pick<JobQueue, 'enqueue'>;
  pubsub: BatonPubSub;
  observe?: HandoffObserver;
  now?: () => Date;
}): HandoffOrchestrator {
  const now = deps.now ?? (() => new Date());
  const observe = deps.observe ?? UNOBSERVED;

  async function escalate(tx: Prisma.TransactionClient, request: EscalationRequest): Promise<RecordedHandoff> {
    const log = new EventLog(now);
    log.record('REQUESTED', `${request.fromAgent} → ${MANAGER}: ${words(request.trigger)}`);
    log.record('CONTEXT_BUILT', 'Context packet carried over for the manager');
    log.record('ESCALATED', `Awaiting a manager: ${request.reason}`);
    const context = { ...request.context, escalation: { reason: request.reason, continuation: request.continuation, target: request.target } };
    const handoff = await tx.handoff.create({
      data: {
        id: randomUUID(),
        type: 'MANAGER_ESCALATION',
        trigger: request.trigger,
        fromAgent: request.fromAgent,
        toAgent: MANAGER,
        leadId: request.leadId,
        campaignId: request.campaignId,
        conversationId: request.conversationId,
        flowId: request.flowId,
        parentId: request.parentId,
        status: log.last,
        context: context as unknown as Prisma.InputJsonValue,
        processingTimeMs: 0,
      },
    });
    return { ...handoff, events: await writeEvents(tx, handoff.id, log) };
  }

  async function request(tx: Prisma.TransactionClient, request: HandoffRequest): Promise<RequestedHandoff> {
    const id = randomUUID();
    const log = new EventLog(now);
    log.record('REQUESTED', `${request.fromAgent} → ${request.toAgent}: ${words(request.trigger)}`);
    const bounces = request.leadId ? await countBounces(tx, request.leadId, request.fromAgent, request.toAgent, now()) : 0;
    const loop = bounces >= BOUNCE_LIMIT ? `Loop: ${bounces} handoffs between ${request.fromAgent} and ${request.toAgent} in the last 24 hours` : null;
    if (loop) log.record('ESCALATED', loop);
    else log.record('CONTEXT_BUILT', `Context packet: ${describePacket(request.context)}`);

    const handoff = await tx.handoff.create({
      data: {
        id,
        type: request.type,
        trigger: request.trigger,
        fromAgent: request.fromAgent,
        toAgent: request.toAgent,
        leadId: request.leadId,
        campaignId: request.campaignId,
        conversationId: request.conversationId,
        flowId: request.flowId,
        parentId: request.parentId ?? null,
        status: log.last,
        context: request.context as unknown as Prisma.InputJsonValue,
        ...(loop ? { failureReason: loop, completedAt: now() } : {}),
      },
    });
    const recorded = { ...handoff, events: await writeEvents(tx, id, log) };
    if (!loop) {
      await deps.jobs.enqueue(tx, { queue: RECEIVING_QUEUE[request.type], payload: { handoffId: id } });
      return { handoff: recorded, escalation: null };
    }
    const escalation = await escalate(tx, {
      trigger: 'ESCALATION_REQUIRED',
      fromAgent: request.fromAgent,
      leadId: request.leadId,
      campaignId: request.campaignId,
      conversationId: request.conversationId,
      flowId: request.flowId,
      parentId: id,
      reason: loop,
      context: request.context,
      continuation: request.continuation,
      target: request.toAgent,
    });
    return { handoff: recorded, escalation };
  }

  async function announce(handoffs: readonly (RecordedHandoff | null)[]): Promise<void> {
    for (const handoff of handoffs) {
      if (!handoff) continue;
      for (const event of handoff.events) {
        if (handoff.type === 'MANAGER_ESCALATION') {
          // An escalation waits ESCALATED (open) until a manager decides; it ends COMPLETED or FAILED.
          if (event.status === 'REQUESTED') observe.escalated(handoff.trigger);
          else if (event.status === 'COMPLETED' || event.status === 'FAILED') {
            observe.finished({ type: handoff.type, status: event.status, qualityScore: handoff.qualityScore });
          }
        } else if (isTerminal(event.status)) observe.finished({ type: handoff.type, status: event.status, qualityScore: handoff.qualityScore });
      }
    }
    await publishHandoffs(deps.pubsub, handoffs);
  }

  return { request, escalate, announce };
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

function words(trigger: HandoffTrigger): string {
  return trigger.toLowerCase().replaceAll('_', ' ');
}
