// A lead's flow is settled once every agent handoff in it has ended: its status is
// then the outcome of its triage → engagement handoff (engagement executed or
// refused: COMPLETED; failed the gate or gave up: FAILED; held for a manager:
// ESCALATED). Manager escalations do not hold a flow open: they wait for a person.
// Neither does a handoff the quality gate holds for an operator's context: its
// flow settles CONTEXT_REQUESTED (when that handoff is the one to engagement),
// and is IN_PROGRESS again once the context is supplied (context-supply.ts).
import type { Prisma } from '../../db/generated/prisma/client.js';
import type { FlowSettledEvent } from '../../events/event-bus.js';

export type SettledFlow = FlowSettledEvent;

/**
 * Settles each of the flows that has nothing still under way; call in the
 * transaction that ended one of their handoffs (it locks the flows, so two such
 * transactions cannot both see the other still running). One statement for all
 * of them; returns the settlements to publish after commit.
 */
export async function settleFlows(tx: Prisma.TransactionClient, flowIds: readonly (string | null)[], now: Date): Promise<SettledFlow[]> {
  const ids = [...new Set(flowIds.filter((id): id is string => id !== null))].sort();
  if (ids.length === 0) return [];
  const settled = await tx.$queryRaw<{ flowId: string; leadId: string; status: SettledFlow['status'] }[]>`
    WITH flows AS (SELECT "id" FROM "LeadFlow" WHERE "id" = ANY(${ids}::uuid[]) AND "status" = 'IN_PROGRESS' ORDER BY "id" FOR UPDATE),
         handoffs AS (
           SELECT h."flowId",
                  bool_and(h."status" IN ('COMPLETED', 'FAILED', 'ESCALATED', 'CONTEXT_REQUESTED')) AS "allEnded",
                  max(h."status"::text) FILTER (WHERE h."type" = 'TRIAGE_TO_ENGAGEMENT') AS "primaryStatus"
           FROM "Handoff" h JOIN flows ON h."flowId" = flows."id"
           WHERE h."type" <> 'MANAGER_ESCALATION'
           GROUP BY h."flowId")
    UPDATE "LeadFlow" f SET "status" = h."primaryStatus"::"FlowStatus", "settledAt" = ${now}
    FROM handoffs h
    WHERE f."id" = h."flowId" AND h."allEnded" AND h."primaryStatus" IN ('COMPLETED', 'FAILED', 'ESCALATED', 'CONTEXT_REQUESTED')
    RETURNING f."id"::text AS "flowId", f."leadId", f."status"::text AS "status"`;
  return settled.map(({ flowId, leadId, status }) => ({ flowId, leadId, status, settledAt: now.toISOString() }));
}

/** A flow that ended before any handoff (the lead could not be triaged): it fails. */
export async function failFlow(tx: Prisma.TransactionClient, flowId: string, now: Date): Promise<SettledFlow> {
  const flow = await tx.leadFlow.update({ where: { id: flowId }, data: { status: 'FAILED', settledAt: now }, select: { leadId: true } });
  return { flowId, leadId: flow.leadId, status: 'FAILED', settledAt: now.toISOString() };
}
