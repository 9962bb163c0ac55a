// The handoff orchestrator, sending side: every transfer of work between agents
// starts here, the specification's "Handoff Context Preservation" made durable.
//
//   sender's transaction:   REQUESTED → CONTEXT_BUILT, and a job on the receiver's queue
//   receiver's worker:      (ENRICHED …) → VALIDATED → ACCEPTED → IN_PROGRESS → COMPLETED | FAILED
//                           └→ CONTEXT_REQUESTED | ESCALATED | FAILED (quality still not above the gate)   (handoff-receipt.ts)
//   an operator:            CONTEXT_REQUESTED → ENRICHED, and the job queued again   (context-supply.ts)
//
// The handoff row and its job are written in the sender's transaction: both
// exist, or neither. Work that keeps bouncing between two agents within one
// flow (A → B → A …) is escalated to a manager instead of being handed over
// again (loop protection). A lead submitted again is not a bounce: it is a
// re-submission or a new flow (src/agents/flows/lead-intake.ts), never a loop.
//
// Nothing is published from inside a transaction: each step returns what it
// wrote, and `announce` publishes it (and tells the metrics) once it committed.
import { randomUUID } from 'node:crypto';
import type { HandoffStatus, HandoffTrigger, HandoffType } from '../../db/generated/prisma/enums.js';
import type { Handoff, Prisma } from '../../db/generated/prisma/client.js';
import type { BatonPubSub } from '../../events/event-bus.js';
import type { JobQueue, QueueName } from '../../jobs/job-queue.js';
import { MANAGER } from '../../domain/agent-ids.js';
import type { HandoffContext } from './handoff-context.js';
import { EventLog, publishHandoffs, writeEvents, type RecordedHandoff } from './handoff-log.js';
import { isTerminal, UNOBSERVED, type HandoffObserver } from './handoff-observer.js';
import type { ManagerNotifier } from './manager-notices.js';
import type { PersonalDataCipher } from '../../privacy/personal-data-cipher.js';
import { sealHandoffText } from './sealed-handoff.js';

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
  /** Context preservation accuracy: the share of the packet's fields the work used or verified (context-preservation.ts). */
  contextPreservation?: number | null;
}

/** A transfer between two agents: the receiving agent's queue is its type's. */
export type AgentHandoffType = Exclude<HandoffType, 'MANAGER_ESCALATION'>;

export const RECEIVING_QUEUE: Record<AgentHandoffType, QueueName> = {
  TRIAGE_TO_ENGAGEMENT: 'engagement',
  ENGAGEMENT_TO_OPTIMIZATION: 'optimization',
  OPTIMIZATION_TO_ENGAGEMENT: 'engagement',
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
  /**
   * Records the handoffs (REQUESTED, CONTEXT_BUILT) and queues each for its
   * receiving agent, in `tx`: four statements however many (the handoffs of leads
   * that travel together). One per lead at most.
   */
  request(tx: Prisma.TransactionClient, requests: readonly HandoffRequest[]): Promise<RequestedHandoff[]>;
  /** Raises a manager escalation in `tx`; it waits in the manager queue (ESCALATED). */
  escalate(tx: Prisma.TransactionClient, request: EscalationRequest): Promise<RecordedHandoff>;
  /**
   * Call once the transaction that wrote these handoffs' new events committed:
   * publishes the events, in order, and tells the metrics of handoffs that ended
   * and escalations raised.
   */
  announce(handoffs: readonly (RecordedHandoff | null)[]): Promise<void>;
}

/**
 * Bounces allowed within one flow: a transfer that sends work back to an agent
 * it came from (A → B, then B → A) is a bounce, and so is each further transfer
 * between the two. The transfer that would be the BOUNCE_LIMIT-th bounce goes to
 * a manager instead (A → B → A → B → A: the fourth transfer is escalated).
 */
export const BOUNCE_LIMIT = 3;

export function createHandoffOrchestrator(deps: {
  jobs: Pick<JobQueue, 'enqueue'>;
  pubsub: BatonPubSub;
  /** Seals each packet and reason as it is written (sealed-handoff.ts). */
  cipher: PersonalDataCipher;
  observe?: HandoffObserver;
  /** Tells the managers of each escalation, in its transaction (manager-notices.ts); nobody when absent. */
  notifyManagers?: ManagerNotifier;
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
    const id = randomUUID();
    const [handoff] = await insertHandoffs(tx, deps.cipher, [
      { ...request, id, type: 'MANAGER_ESCALATION', toAgent: MANAGER, status: log.last, context, processingTimeMs: 0, createdAt: now() },
    ]);
    const [events] = await writeEvents(tx, deps.cipher, [{ handoffId: id, log }]);
    await deps.notifyManagers?.(tx, handoff!, request.reason);
    return { ...handoff!, events: events! };
  }

  async function request(tx: Prisma.TransactionClient, requests: readonly HandoffRequest[]): Promise<RequestedHandoff[]> {
    if (requests.length === 0) return [];
    const bounces = await countBounces(tx, requests);
    const drafts = requests.map((request, index) => {
      const log = new EventLog(now);
      log.record('REQUESTED', `${request.fromAgent} → ${request.toAgent}: ${words(request.trigger)}`);
      const bounced = bounces[index] ?? 0;
      const loop =
        bounced >= BOUNCE_LIMIT ? `Loop: work went back and forth between ${request.fromAgent} and ${request.toAgent} ${bounced} times in this flow` : null;
      if (loop) log.record('ESCALATED', loop);
      else log.record('CONTEXT_BUILT', `Context packet: ${describePacket(request.context)}`);
      return { request, id: randomUUID(), log, loop };
    });
    const handoffs = await insertHandoffs(
      tx,
      deps.cipher,
      drafts.map(({ request, id, log, loop }) => ({
        ...request,
        id,
        status: log.last,
        ...(loop ? { failureReason: loop, completedAt: now() } : {}),
        createdAt: now(),
      })),
    );
    const events = await writeEvents(
      tx,
      deps.cipher,
      drafts.map(({ id, log }) => ({ handoffId: id, log })),
    );
    await deps.jobs.enqueue(
      tx,
      drafts
        .filter(({ loop }) => !loop)
        .map(({ request, id }) => ({ queue: RECEIVING_QUEUE[request.type], payload: { handoffId: id, leadId: request.leadId, type: request.type } })),
    );
    const requested: RequestedHandoff[] = [];
    for (const [index, { request, id, loop }] of drafts.entries()) {
      const handoff = { ...handoffs[index]!, events: events[index]! };
      // Loop protection: a manager looks at the lead instead of the receiving agent.
      const escalation = loop
        ? await escalate(tx, {
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
          })
        : null;
      requested.push({ handoff, escalation });
    }
    return requested;
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
        } else if (event.status === 'CONTEXT_REQUESTED') observe.contextRequested?.(handoff.type);
        else if (isTerminal(event.status)) {
          const preservation = handoff.contextPreservation;
          observe.finished({
            type: handoff.type,
            status: event.status,
            qualityScore: handoff.qualityScore,
            ...(preservation !== null && preservation !== undefined ? { contextPreservation: preservation } : {}),
          });
        }
      }
    }
    await publishHandoffs(deps.pubsub, handoffs);
  }

  return { request, escalate, announce };
}

/**
 * For each request, the bounce it would be within its flow: 0 when it sends work
 * on (no earlier transfer in the flow came back from its receiver); otherwise
 * the number of earlier transfers between its two agents, either way, which is
 * the bounce this one makes (A → B, B → A: the second is bounce 1). A handoff
 * outside a flow (a campaign review asked for on its own) has no chain to bounce
 * in. Manager escalations are not transfers. One query for all requests.
 */
async function countBounces(tx: Prisma.TransactionClient, requests: readonly HandoffRequest[]): Promise<number[]> {
  const pairs = requests.flatMap(({ flowId, fromAgent, toAgent }, index) => (flowId ? [{ index, flowId, a: fromAgent, b: toAgent }] : []));
  const counts = new Array<number>(requests.length).fill(0);
  if (pairs.length === 0) return counts;
  const rows = await tx.$queryRaw<{ index: number; transfers: number; returns: number }[]>`
    SELECT r."index", count(h."id")::int AS "transfers", count(h."id") FILTER (WHERE h."fromAgent" = r."b")::int AS "returns"
    FROM json_to_recordset(${JSON.stringify(pairs)}::json) AS r("index" int, "flowId" uuid, "a" text, "b" text)
    JOIN "Handoff" h ON h."flowId" = r."flowId" AND h."type" <> 'MANAGER_ESCALATION'
      AND ((h."fromAgent" = r."a" AND h."toAgent" = r."b") OR (h."fromAgent" = r."b" AND h."toAgent" = r."a"))
    GROUP BY r."index"`;
  // Work goes back only to an agent that handed it on: without a transfer from the receiver, this is no bounce.
  for (const { index, transfers, returns } of rows) counts[index] = returns > 0 ? transfers : 0;
  return counts;
}

/** A handoff row to insert; what is absent takes its column's default. */
interface NewHandoff {
  id: string;
  type: HandoffType;
  trigger: HandoffTrigger;
  fromAgent: string;
  toAgent: string;
  leadId: string | null;
  campaignId: string | null;
  conversationId: string | null;
  flowId: string | null;
  parentId?: string | null;
  status: HandoffStatus;
  context: object;
  failureReason?: string | null;
  processingTimeMs?: number | null;
  completedAt?: Date | null;
  createdAt: Date;
}

/** Inserts handoffs in one statement, their packets and reasons sealed; returns them as stored (sealed), in the given order. */
async function insertHandoffs(tx: Prisma.TransactionClient, cipher: PersonalDataCipher, handoffs: readonly NewHandoff[]): Promise<Handoff[]> {
  const rows = handoffs.map((handoff) => ({
    id: handoff.id,
    type: handoff.type,
    trigger: handoff.trigger,
    fromAgent: handoff.fromAgent,
    toAgent: handoff.toAgent,
    leadId: handoff.leadId,
    campaignId: handoff.campaignId,
    conversationId: handoff.conversationId,
    flowId: handoff.flowId,
    parentId: handoff.parentId ?? null,
    status: handoff.status,
    context: cipher.sealJson(handoff.context),
    failureReason: sealHandoffText(cipher, handoff.failureReason ?? null),
    processingTimeMs: handoff.processingTimeMs ?? null,
    completedAt: handoff.completedAt?.toISOString() ?? null,
    createdAt: handoff.createdAt.toISOString(),
  }));
  const stored = await tx.$queryRaw<Handoff[]>`
    INSERT INTO "Handoff" ("id", "type", "trigger", "fromAgent", "toAgent", "leadId", "campaignId", "conversationId", "flowId", "parentId",
                           "status", "context", "failureReason", "processingTimeMs", "completedAt", "createdAt", "updatedAt")
    SELECT h."id", h."type"::"HandoffType", h."trigger"::"HandoffTrigger", h."fromAgent", h."toAgent", h."leadId", h."campaignId", h."conversationId",
           h."flowId", h."parentId", h."status"::"HandoffStatus", h."context", h."failureReason", h."processingTimeMs", h."completedAt", h."createdAt", h."createdAt"
    FROM json_to_recordset(${JSON.stringify(rows)}::json)
         AS h("id" uuid, "type" text, "trigger" text, "fromAgent" text, "toAgent" text, "leadId" text, "campaignId" text, "conversationId" uuid,
              "flowId" uuid, "parentId" uuid, "status" text, "context" jsonb, "failureReason" text, "processingTimeMs" int,
              "completedAt" timestamp(3), "createdAt" timestamp(3))
    RETURNING *`;
  const byId = new Map(stored.map((handoff) => [handoff.id, handoff]));
  return handoffs.map(({ id }) => byId.get(id)!);
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
