// Handoff analytics over a time window: the specification's HandoffAnalytics
// (active and total handoffs, success rate, average quality and processing time,
// counts by type and trigger) plus the p95 processing time, escalations and
// bounce-backs. A few aggregate queries, whatever the number of handoffs.
import type { HandoffTrigger, HandoffType, Prisma, PrismaClient } from '../../db/generated/prisma/client.js';

export interface HandoffAnalytics {
  since: Date;
  until: Date;
  /** In progress, or escalated and waiting for a manager. */
  activeHandoffs: number;
  totalHandoffs: number;
  /** Completed / (completed + failed + escalated instead of executed); null before any finished. */
  successRate: number | null;
  averageQuality: number | null;
  /** Agent handoffs only: a manager's deliberation is not processing time. */
  averageProcessingTimeMs: number | null;
  p95ProcessingTimeMs: number | null;
  byType: Record<HandoffType, number>;
  byTrigger: Record<HandoffTrigger, number>;
  escalations: number;
  openEscalations: number;
  /** Handoffs back to the agent the previous handoff in the flow came from. */
  bounceBacks: number;
}

interface Totals {
  total: number;
  active: number;
  completed: number;
  unsuccessful: number;
  averageQuality: number | null;
  averageTime: number | null;
  p95Time: number | null;
  escalations: number;
  openEscalations: number;
  bounceBacks: number;
}

export async function handoffAnalytics(db: PrismaClient | Prisma.TransactionClient, window: { since: Date; until: Date }): Promise<HandoffAnalytics> {
  const { since, until } = window;
  const [totals] = await db.$queryRaw<Totals[]>`
    SELECT count(*)::int AS "total",
           (count(*) FILTER (WHERE h."status" IN ('REQUESTED', 'CONTEXT_BUILT', 'ENRICHED', 'VALIDATED', 'ACCEPTED')
                              OR (h."type" = 'MANAGER_ESCALATION' AND h."status" = 'ESCALATED')))::int AS "active",
           (count(*) FILTER (WHERE h."status" = 'COMPLETED'))::int AS "completed",
           (count(*) FILTER (WHERE h."status" = 'FAILED' OR (h."status" = 'ESCALATED' AND h."type" <> 'MANAGER_ESCALATION')))::int AS "unsuccessful",
           avg(h."qualityScore")::float8 AS "averageQuality",
           (avg(h."processingTimeMs") FILTER (WHERE h."type" <> 'MANAGER_ESCALATION'))::float8 AS "averageTime",
           (percentile_cont(0.95) WITHIN GROUP (ORDER BY h."processingTimeMs") FILTER (WHERE h."type" <> 'MANAGER_ESCALATION'))::float8 AS "p95Time",
           (count(*) FILTER (WHERE h."type" = 'MANAGER_ESCALATION'))::int AS "escalations",
           (count(*) FILTER (WHERE h."type" = 'MANAGER_ESCALATION' AND h."status" = 'ESCALATED'))::int AS "openEscalations",
           (count(*) FILTER (WHERE p."fromAgent" = h."toAgent"))::int AS "bounceBacks"
    FROM "Handoff" h LEFT JOIN "Handoff" p ON p."id" = h."parentId"
    WHERE h."createdAt" >= ${since} AND h."createdAt" < ${until}`;
  const byType = await db.handoff.groupBy({ by: ['type'], where: { createdAt: { gte: since, lt: until } }, _count: { _all: true } });
  const byTrigger = await db.handoff.groupBy({ by: ['trigger'], where: { createdAt: { gte: since, lt: until } }, _count: { _all: true } });
  const t = totals!;
  const finished = t.completed + t.unsuccessful;
  return {
    since,
    until,
    activeHandoffs: t.active,
    totalHandoffs: t.total,
    successRate: finished > 0 ? round(t.completed / finished, 4) : null,
    averageQuality: t.averageQuality === null ? null : round(t.averageQuality, 3),
    averageProcessingTimeMs: t.averageTime === null ? null : round(t.averageTime, 1),
    p95ProcessingTimeMs: t.p95Time === null ? null : round(t.p95Time, 1),
    byType: {
      TRIAGE_TO_ENGAGEMENT: 0,
      ENGAGEMENT_TO_OPTIMIZATION: 0,
      MANAGER_ESCALATION: 0,
      ...Object.fromEntries(byType.map((group) => [group.type, group._count._all])),
    },
    byTrigger: {
      TASK_COMPLETION: 0,
      ESCALATION_REQUIRED: 0,
      PERFORMANCE_THRESHOLD: 0,
      SPECIALIZATION_NEEDED: 0,
      ...Object.fromEntries(byTrigger.map((group) => [group.trigger, group._count._all])),
    },
    escalations: t.escalations,
    openEscalations: t.openEscalations,
    bounceBacks: t.bounceBacks,
  };
}

function round(x: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(x * scale) / scale;
}
