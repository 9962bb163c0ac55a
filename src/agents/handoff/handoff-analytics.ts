// Handoff analytics over a time window: the specification's HandoffAnalytics
// (active and total handoffs, success rate, average quality and processing time,
// counts by type and trigger) plus the median, p95 and p99 processing times, escalations,
// bounce-backs, and what the job queues show: each agent's own processing time
// (the specification's KPI: triage 85 ms, engagement 120 ms, optimization 200 ms),
// how long work waited in the queues, how long a request took to be accepted,
// and retries; and the specification's KPI "context preservation accuracy"
// (target > 98 %), with the handoffs waiting for an operator's context. A few aggregate queries, whatever the number of handoffs.
import type { HandoffTrigger, HandoffType, Prisma, PrismaClient } from '../../db/generated/prisma/client.js';

/** Average and percentiles (median, 95th, 99th), in milliseconds; null when there was nothing to time. */
export interface Timing {
  averageMs: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

/** One agent's work in the window: how often, how long it took itself, how long the work waited for it. */
export interface AgentTiming {
  agent: 'triage' | 'engagement' | 'optimization';
  /** Leads triaged, or handoffs worked on. */
  count: number;
  processing: Timing;
  queueWait: Timing;
}

export interface HandoffAnalytics {
  since: Date;
  until: Date;
  /** Not ended yet (requested, at the gate, waiting for context, worked on, waiting for a retry), and escalations waiting for a manager. */
  activeHandoffs: number;
  totalHandoffs: number;
  /** Completed / (completed + failed + escalated instead of executed); null before any finished. */
  successRate: number | null;
  averageQuality: number | null;
  /**
   * Average context preservation accuracy (0-1) of the handoffs a receiving agent
   * worked on: the share of each packet's fields its decision used or verified
   * (context-preservation.ts). The specification's target is above 0.98. Null before one.
   */
  contextPreservationAccuracy: number | null;
  /** Handoffs waiting now for an operator to supply context the quality gate missed (CONTEXT_REQUESTED). */
  contextRequested: number;
  /** Agent handoffs only: a manager's deliberation is not processing time. */
  averageProcessingTimeMs: number | null;
  p50ProcessingTimeMs: number | null;
  p95ProcessingTimeMs: number | null;
  p99ProcessingTimeMs: number | null;
  byType: Record<HandoffType, number>;
  byTrigger: Record<HandoffTrigger, number>;
  escalations: number;
  openEscalations: number;
  /** Handoffs back to the agent the previous handoff in the flow came from. */
  bounceBacks: number;
  /** From a handoff's request to the receiving agent accepting it (queue wait and the quality gate). */
  acceptanceLatency: Timing;
  /** Per agent, over the flows submitted and handoffs created in the window. */
  agents: AgentTiming[];
  /** Handoffs a worker had to try more than once (a passing failure, or a worker that died). */
  retriedHandoffs: number;
  /** Attempts beyond the first, over all handoffs. */
  retries: number;
}

interface Totals {
  total: number;
  active: number;
  completed: number;
  unsuccessful: number;
  averageQuality: number | null;
  averagePreservation: number | null;
  contextRequested: number;
  averageTime: number | null;
  p50Time: number | null;
  p95Time: number | null;
  p99Time: number | null;
  escalations: number;
  openEscalations: number;
  bounceBacks: number;
  acceptanceAverage: number | null;
  acceptanceP50: number | null;
  acceptanceP95: number | null;
  acceptanceP99: number | null;
  retried: number;
  retries: number;
}

interface TimingRow {
  agent: AgentTiming['agent'];
  count: number;
  processingAverage: number | null;
  processingP50: number | null;
  processingP95: number | null;
  processingP99: number | null;
  waitAverage: number | null;
  waitP50: number | null;
  waitP95: number | null;
  waitP99: number | null;
}

/** Not yet ended: requested, on its way through the gate, waiting for an operator's context, worked on, or waiting to be retried. */
const IN_FLIGHT = ['REQUESTED', 'CONTEXT_BUILT', 'ENRICHED', 'CONTEXT_REQUESTED', 'VALIDATED', 'ACCEPTED', 'IN_PROGRESS', 'RETRYING'] as const;

export async function handoffAnalytics(db: PrismaClient | Prisma.TransactionClient, window: { since: Date; until: Date }): Promise<HandoffAnalytics> {
  const { since, until } = window;
  const [totals] = await db.$queryRaw<Totals[]>`
    SELECT count(*)::int AS "total",
           (count(*) FILTER (WHERE h."status"::text = ANY(${[...IN_FLIGHT]}::text[])
                              OR (h."type" = 'MANAGER_ESCALATION' AND h."status" = 'ESCALATED')))::int AS "active",
           (count(*) FILTER (WHERE h."status" = 'COMPLETED'))::int AS "completed",
           (count(*) FILTER (WHERE h."status" = 'FAILED' OR (h."status" = 'ESCALATED' AND h."type" <> 'MANAGER_ESCALATION')))::int AS "unsuccessful",
           avg(h."qualityScore")::float8 AS "averageQuality",
           avg(h."contextPreservation")::float8 AS "averagePreservation",
           (count(*) FILTER (WHERE h."status" = 'CONTEXT_REQUESTED'))::int AS "contextRequested",
           (avg(h."processingTimeMs") FILTER (WHERE h."type" <> 'MANAGER_ESCALATION'))::float8 AS "averageTime",
           (percentile_cont(0.5) WITHIN GROUP (ORDER BY h."processingTimeMs") FILTER (WHERE h."type" <> 'MANAGER_ESCALATION'))::float8 AS "p50Time",
           (percentile_cont(0.95) WITHIN GROUP (ORDER BY h."processingTimeMs") FILTER (WHERE h."type" <> 'MANAGER_ESCALATION'))::float8 AS "p95Time",
           (percentile_cont(0.99) WITHIN GROUP (ORDER BY h."processingTimeMs") FILTER (WHERE h."type" <> 'MANAGER_ESCALATION'))::float8 AS "p99Time",
           (count(*) FILTER (WHERE h."type" = 'MANAGER_ESCALATION'))::int AS "escalations",
           (count(*) FILTER (WHERE h."type" = 'MANAGER_ESCALATION' AND h."status" = 'ESCALATED'))::int AS "openEscalations",
           (count(*) FILTER (WHERE p."fromAgent" = h."toAgent"))::int AS "bounceBacks",
           avg(extract(epoch FROM h."acceptedAt" - h."createdAt") * 1000)::float8 AS "acceptanceAverage",
           (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM h."acceptedAt" - h."createdAt") * 1000))::float8 AS "acceptanceP50",
           (percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM h."acceptedAt" - h."createdAt") * 1000))::float8 AS "acceptanceP95",
           (percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM h."acceptedAt" - h."createdAt") * 1000))::float8 AS "acceptanceP99",
           (count(*) FILTER (WHERE h."attempts" > 1))::int AS "retried",
           coalesce(sum(greatest(h."attempts" - 1, 0)), 0)::int AS "retries"
    FROM "Handoff" h LEFT JOIN "Handoff" p ON p."id" = h."parentId"
    WHERE h."createdAt" >= ${since} AND h."createdAt" < ${until}`;
  const timings = await db.$queryRaw<TimingRow[]>`
    SELECT 'triage' AS "agent", count("triageMs")::int AS "count",
           avg("triageMs")::float8 AS "processingAverage",
           (percentile_cont(0.5) WITHIN GROUP (ORDER BY "triageMs"))::float8 AS "processingP50",
           (percentile_cont(0.95) WITHIN GROUP (ORDER BY "triageMs"))::float8 AS "processingP95",
           (percentile_cont(0.99) WITHIN GROUP (ORDER BY "triageMs"))::float8 AS "processingP99",
           avg("triageWaitMs")::float8 AS "waitAverage",
           (percentile_cont(0.5) WITHIN GROUP (ORDER BY "triageWaitMs"))::float8 AS "waitP50",
           (percentile_cont(0.95) WITHIN GROUP (ORDER BY "triageWaitMs"))::float8 AS "waitP95",
           (percentile_cont(0.99) WITHIN GROUP (ORDER BY "triageWaitMs"))::float8 AS "waitP99"
    FROM "LeadFlow" WHERE "submittedAt" >= ${since} AND "submittedAt" < ${until}
    UNION ALL
    SELECT CASE "type" WHEN 'TRIAGE_TO_ENGAGEMENT' THEN 'engagement' ELSE 'optimization' END, count("processingTimeMs")::int,
           avg("processingTimeMs")::float8, (percentile_cont(0.5) WITHIN GROUP (ORDER BY "processingTimeMs"))::float8,
           (percentile_cont(0.95) WITHIN GROUP (ORDER BY "processingTimeMs"))::float8, (percentile_cont(0.99) WITHIN GROUP (ORDER BY "processingTimeMs"))::float8,
           avg("queueWaitMs")::float8, (percentile_cont(0.5) WITHIN GROUP (ORDER BY "queueWaitMs"))::float8,
           (percentile_cont(0.95) WITHIN GROUP (ORDER BY "queueWaitMs"))::float8, (percentile_cont(0.99) WITHIN GROUP (ORDER BY "queueWaitMs"))::float8
    FROM "Handoff"
    WHERE "type" <> 'MANAGER_ESCALATION' AND "acceptedAt" IS NOT NULL AND "createdAt" >= ${since} AND "createdAt" < ${until}
    GROUP BY "type"`;
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
    contextPreservationAccuracy: t.averagePreservation === null ? null : round(t.averagePreservation, 4),
    contextRequested: t.contextRequested,
    averageProcessingTimeMs: t.averageTime === null ? null : round(t.averageTime, 1),
    p50ProcessingTimeMs: t.p50Time === null ? null : round(t.p50Time, 1),
    p95ProcessingTimeMs: t.p95Time === null ? null : round(t.p95Time, 1),
    p99ProcessingTimeMs: t.p99Time === null ? null : round(t.p99Time, 1),
    byType: {
      TRIAGE_TO_ENGAGEMENT: 0,
      ENGAGEMENT_TO_OPTIMIZATION: 0,
      OPTIMIZATION_TO_ENGAGEMENT: 0,
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
    acceptanceLatency: timing(t.acceptanceAverage, t.acceptanceP50, t.acceptanceP95, t.acceptanceP99),
    agents: AGENTS.map((agent) => {
      const row = timings.find((candidate) => candidate.agent === agent);
      return {
        agent,
        count: row?.count ?? 0,
        processing: timing(row?.processingAverage ?? null, row?.processingP50 ?? null, row?.processingP95 ?? null, row?.processingP99 ?? null),
        queueWait: timing(row?.waitAverage ?? null, row?.waitP50 ?? null, row?.waitP95 ?? null, row?.waitP99 ?? null),
      };
    }),
    retriedHandoffs: t.retried,
    retries: t.retries,
  };
}

const AGENTS: AgentTiming['agent'][] = ['triage', 'engagement', 'optimization'];

function timing(average: number | null, p50: number | null, p95: number | null, p99: number | null): Timing {
  const ms = (x: number | null) => (x === null ? null : round(x, 1));
  return { averageMs: ms(average), p50Ms: ms(p50), p95Ms: ms(p95), p99Ms: ms(p99) };
}

function round(x: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(x * scale) / scale;
}
