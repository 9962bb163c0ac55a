// A lead's flow is settled once every agent handoff in it has ended: its status is
// then the outcome of its triage → engagement handoff (engagement executed or
// refused: COMPLETED; failed the gate or gave up: FAILED; held for a manager:
// ESCALATED). Manager escalations do not hold a flow open: they wait for a person.
import type { FlowStatus, HandoffStatus } from '../../db/generated/prisma/enums.js';
import type { Prisma } from '../../db/generated/prisma/client.js';
import type { FlowSettledEvent } from '../../events/event-bus.js';

export type SettledFlow = FlowSettledEvent;

const FLOW_STATUS_OF: Partial<Record<HandoffStatus, SettledFlow['status']>> = { COMPLETED: 'COMPLETED', FAILED: 'FAILED', ESCALATED: 'ESCALATED' };

/**
 * Settles the flow if nothing in it is still under way; call in the transaction
 * that ended one of its handoffs (it locks the flow, so two such transactions
 * cannot both see the other still running). Returns the settlement to publish
 * after commit, or null.
 */
export async function settleFlow(tx: Prisma.TransactionClient, flowId: string | null, now: Date): Promise<SettledFlow | null> {
  if (!flowId) return null;
  const [flow] = await tx.$queryRaw<{ leadId: string; status: FlowStatus }[]>`
    SELECT "leadId", "status" FROM "LeadFlow" WHERE "id" = ${flowId}::uuid FOR UPDATE`;
  if (flow?.status !== 'IN_PROGRESS') return null;
  const handoffs = await tx.handoff.findMany({
    where: { flowId, type: { not: 'MANAGER_ESCALATION' } },
    select: { type: true, status: true },
  });
  const primary = handoffs.find((handoff) => handoff.type === 'TRIAGE_TO_ENGAGEMENT');
  const status = primary && FLOW_STATUS_OF[primary.status];
  if (!status || handoffs.some((handoff) => !FLOW_STATUS_OF[handoff.status])) return null;
  await tx.leadFlow.update({ where: { id: flowId }, data: { status, settledAt: now } });
  return { flowId, leadId: flow.leadId, status, settledAt: now.toISOString() };
}

/** A flow that ended before any handoff (the lead could not be triaged): it fails. */
export async function failFlow(tx: Prisma.TransactionClient, flowId: string, now: Date): Promise<SettledFlow> {
  const flow = await tx.leadFlow.update({ where: { id: flowId }, data: { status: 'FAILED', settledAt: now }, select: { leadId: true } });
  return { flowId, leadId: flow.leadId, status: 'FAILED', settledAt: now.toISOString() };
}
