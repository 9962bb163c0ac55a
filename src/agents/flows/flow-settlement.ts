// A lead's flow is settled once every agent handoff in it has ended: its status is
// then the outcome of its triage → engagement handoff (engagement executed or
// refused: COMPLETED; failed the gate or gave up: FAILED; held for a manager:
// ESCALATED). Manager escalations do not hold a flow open: they wait for a person.
import type { Prisma } from '../../db/generated/prisma/client.js';
import type { FlowSettledEvent } from '../../events/event-bus.js';

export type SettledFlow = FlowSettledEvent;

/**
 * Settles the flow if nothing in it is still under way; call in the transaction
 * that ended one of its handoffs (it locks the flow, so two such transactions
 * cannot both see the other still running). Returns the settlement to publish
 * after commit, or null.
 */
export async function settleFlow(tx: Prisma.TransactionClient, flowId: string | null, now: Date): Promise<SettledFlow | null> {
  if (!flowId) return null;
  // One statement: lock the flow, read its agent handoffs, and settle it if none is still under way.
  const [settled] = await tx.$queryRaw<{ leadId: string; status: SettledFlow['status'] }[]>`
    WITH flow AS (SELECT "id" FROM "LeadFlow" WHERE "id" = ${flowId}::uuid AND "status" = 'IN_PROGRESS' FOR UPDATE),
         handoffs AS (
           SELECT bool_and("status" IN ('COMPLETED', 'FAILED', 'ESCALATED')) AS "allEnded",
                  max("status"::text) FILTER (WHERE "type" = 'TRIAGE_TO_ENGAGEMENT') AS "primaryStatus"
           FROM "Handoff" WHERE "flowId" = ${flowId}::uuid AND "type" <> 'MANAGER_ESCALATION')
    UPDATE "LeadFlow" f SET "status" = h."primaryStatus"::"FlowStatus", "settledAt" = ${now}
    FROM flow, handoffs h
    WHERE f."id" = flow."id" AND h."allEnded" AND h."primaryStatus" IN ('COMPLETED', 'FAILED', 'ESCALATED')
    RETURNING f."leadId", f."status"::text AS "status"`;
  return settled ? { flowId, leadId: settled.leadId, status: settled.status, settledAt: now.toISOString() } : null;
}

/** A flow that ended before any handoff (the lead could not be triaged): it fails. */
export async function failFlow(tx: Prisma.TransactionClient, flowId: string, now: Date): Promise<SettledFlow> {
  const flow = await tx.leadFlow.update({ where: { id: flowId }, data: { status: 'FAILED', settledAt: now }, select: { leadId: true } });
  return { flowId, leadId: flow.leadId, status: 'FAILED', settledAt: now.toISOString() };
}
