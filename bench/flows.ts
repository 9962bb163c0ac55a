// The flow's own times, beside the request latency the load generator sees: a
// lead's flow runs on the agents' queues, so a request can answer before its
// flow ends (202, IN_PROGRESS) and a worker's backlog does not show in the API's
// latency. Read after the target stopped, from the rows Baton writes: per flow
// submitted during a measured window, LeadFlow.submittedAt → settledAt (request
// to first outcome: engagement executed, failed or escalated; the benchmark's
// leads name no campaign, so nothing follows it), and per queue how long the
// job waited for a worker and how long the agent worked on it
// (LeadFlow.triageWaitMs/triageMs, Handoff.queueWaitMs/processingTimeMs).
// Code without flows (before the queues) has no LeadFlow table: unavailable.
import { percentile } from './latency.js';
import type { Row, SqlReader } from './databases.js';

/** Milliseconds over a set of flows or jobs, exact (every row read). */
export interface Distribution {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface QueueTimes {
  /** The queue, named after the agent that works it (triage, engagement, optimization). */
  queue: string;
  waitMs: Distribution | null;
  workMs: Distribution | null;
}

export interface FlowTimes {
  /** Flows submitted during the window. */
  submitted: number;
  /** Those flows by status when read; IN_PROGRESS ones had not settled when the target stopped. */
  statuses: Record<string, number>;
  /** settledAt − submittedAt of the settled ones. */
  endToEndMs: Distribution | null;
  queues: QueueTimes[];
}

export type FlowReading = FlowTimes | { unavailable: string };

export function isFlowTimes(reading: FlowReading): reading is FlowTimes {
  return !('unavailable' in reading);
}

const UNDEFINED_TABLE = '42P01';
const UNDEFINED_COLUMN = '42703';

/** Flows submitted in [start, end) (ISO 8601; the columns hold UTC). */
export async function readFlowTimes(sql: SqlReader, window: { start: string; end: string }): Promise<FlowReading> {
  const range = [window.start, window.end];
  try {
    const flows = await sql.query(
      `SELECT "status"::text AS status,
              (EXTRACT(EPOCH FROM ("settledAt" - "submittedAt")) * 1000)::float8 AS "endToEndMs",
              "triageWaitMs", "triageMs"
         FROM "LeadFlow" WHERE "submittedAt" >= $1 AND "submittedAt" < $2`,
      range,
    );
    const handoffs = await sql.query(
      `SELECT h."type"::text AS type, h."queueWaitMs", h."processingTimeMs"
         FROM "Handoff" h JOIN "LeadFlow" f ON f."id" = h."flowId"
        WHERE f."submittedAt" >= $1 AND f."submittedAt" < $2 AND h."type"::text <> 'MANAGER_ESCALATION'`,
      range,
    );
    const statuses: Record<string, number> = {};
    for (const { status } of flows) statuses[String(status)] = (statuses[String(status)] ?? 0) + 1;
    const queues: QueueTimes[] = [{ queue: 'triage', waitMs: distribution(flows, 'triageWaitMs'), workMs: distribution(flows, 'triageMs') }];
    for (const queue of [...new Set(handoffs.map(receivingQueue))].sort(byPipelineOrder)) {
      const rows = handoffs.filter((row) => receivingQueue(row) === queue);
      queues.push({ queue, waitMs: distribution(rows, 'queueWaitMs'), workMs: distribution(rows, 'processingTimeMs') });
    }
    return { submitted: flows.length, statuses, endToEndMs: distribution(flows, 'endToEndMs'), queues };
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    if (code === UNDEFINED_TABLE || code === UNDEFINED_COLUMN) return { unavailable: `no flows in this code (${message})` };
    throw error;
  }
}

/** A handoff waits in its receiving agent's queue: TRIAGE_TO_ENGAGEMENT → engagement (src/agents/handoff/handoff-orchestrator.ts, RECEIVING_QUEUE). */
function receivingQueue(handoff: Row): string {
  const type = String(handoff.type);
  return (type.split('_TO_')[1] ?? type).toLowerCase();
}

const PIPELINE_ORDER = ['triage', 'engagement', 'optimization'];

function byPipelineOrder(a: string, b: string): number {
  const rank = (queue: string) => (PIPELINE_ORDER.includes(queue) ? PIPELINE_ORDER.indexOf(queue) : PIPELINE_ORDER.length);
  return rank(a) - rank(b) || a.localeCompare(b);
}

/** The non-null values of one column; null when there are none. */
function distribution(rows: Row[], column: string): Distribution | null {
  const values = rows
    .map((row) => row[column])
    .filter((value) => value !== null && value !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  if (values.length === 0) return null;
  return {
    count: values.length,
    mean: values.reduce((sum, value) => sum + value, 0) / values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: values.at(-1)!,
  };
}
