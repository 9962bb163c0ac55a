// Prometheus metrics of one server: its own registry (tests run several servers
// in one process), process defaults, HTTP request durations for every route,
// live connections and subscriptions, handoffs and the database pool. The names
// are a contract: deploy/ (alerts, dashboards, the HPA's custom metric) uses them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DatabaseConnections } from '../db/database.js';
import { HandoffTrigger, HandoffType } from '../db/generated/prisma/enums.js';
import { QUEUES, type QueueDepth } from '../jobs/job-queue.js';

export type SubscriptionTransport = 'graphql_ws' | 'sse';
export type WebSocketEndpoint = '/graphql' | '/mcp';

export interface Metrics {
  registry: Registry;
  httpRequestDuration: Histogram<'method' | 'route' | 'status_code'>;
  memoryOperationDuration: Histogram<'tier' | 'operation' | 'outcome'>;
  databaseQueryDuration: Histogram;
  /** GraphQL subscriptions open now, by transport (`graphql_ws`, `sse`); see src/graphql/active-subscriptions.ts. */
  subscriptionsActive: Gauge<'transport'>;
  /** WebSocket connections open now, by endpoint (`/graphql`, `/mcp`): inc on connection, dec on close. */
  websocketConnections: Gauge<'endpoint'>;
  /** Handoffs that reached a terminal status, by type and status (lower case). */
  handoffs: Counter<'type' | 'status'>;
  handoffQualityScore: Histogram<'type'>;
  /** Context preservation accuracy of each handoff a receiver worked on (the specification's KPI, target > 0.98), by type. */
  handoffContextPreservation: Histogram<'type'>;
  /** Handoffs the quality gate held for an operator's context (CONTEXT_REQUESTED), by type. */
  handoffContextRequests: Counter<'type'>;
  escalations: Counter<'trigger'>;
  /** Operations refused because their caller was over RATE_LIMIT_PER_MINUTE. */
  rateLimitedOperations: Counter;
  /** baton_access_refusals_total{reason}: unauthenticated or forbidden requests, on every door (src/auth/observed-tokens.ts, src/graphql/forbidden-refusals.ts). */
  accessRefusals: Counter<'reason'>;
  databasePoolConnections: Gauge<'state'>;
  /** Tells `baton_db_pool_connections` where to read, once the database is open. */
  watchDatabasePool(read: () => DatabaseConnections): void;
  /**
   * Registers the queue gauges, read from `read` at each scrape: baton_queue_jobs{queue,state} and
   * baton_queue_oldest_job_age_seconds{queue} (the worker autoscalers' signals). Only a process with
   * the job queue registers them: the adapter sidecar has none, and reports none.
   */
  watchQueues(read: () => Promise<QueueDepth[]>): void;
  /** 1 while a dependency (`database`, `redis`) answers, 0 while it does not; set by each health check and scrape. */
  dependencyUp: Gauge<'dependency'>;
  /** Work skipped or refused because a dependency did not answer (e.g. a short-term memory write while Redis is down). */
  degradedOperations: Counter<'dependency' | 'operation'>;
  /** Registers the dependency checks baton_dependency_up runs at each scrape. */
  watchDependencies(check: () => Promise<unknown>): void;
  /** Each agent's own time on one piece of work (triage a lead, engage, review a campaign), by agent. */
  agentProcessing: Histogram<'agent'>;
  /** How long a job waited in its queue before a worker took it, by queue. */
  queueWait: Histogram<'queue'>;
}

const TERMINAL_STATUSES = ['completed', 'failed', 'escalated'] as const;

export function createMetrics(serverId: string): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ server_id: serverId });
  collectDefaultMetrics({ register: registry });
  const httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Duration of HTTP requests, by route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const memoryOperationDuration = new Histogram({
    name: 'baton_memory_operation_duration_seconds',
    help: 'Duration of memory tier operations, by tier (short_term, long_term, episodic, semantic), operation and outcome',
    labelNames: ['tier', 'operation', 'outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1],
    registers: [registry],
  });
  const databaseQueryDuration = new Histogram({
    name: 'baton_db_query_duration_seconds',
    help: 'Duration of each SQL statement Prisma runs (count: statements executed)',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  const subscriptionsActive = new Gauge({
    name: 'baton_graphql_subscriptions_active',
    help: 'GraphQL subscriptions open now, by transport (graphql_ws, sse)',
    labelNames: ['transport'] as const,
    registers: [registry],
  });
  const websocketConnections = new Gauge({
    name: 'baton_websocket_connections_active',
    help: 'WebSocket connections open now, by endpoint (/graphql, /mcp)',
    labelNames: ['endpoint'] as const,
    registers: [registry],
  });
  const handoffs = new Counter({
    name: 'baton_handoffs_total',
    help:
      'Handoffs that reached a terminal status (completed, failed, escalated), counted once by the replica that wrote them; ' +
      'a manager escalation counts when a manager closes it',
    labelNames: ['type', 'status'] as const,
    registers: [registry],
  });
  const handoffQualityScore = new Histogram({
    name: 'baton_handoff_quality_score',
    help: "Quality gate's score of each handoff's context packet (after enrichment; the gate is 0.7), by handoff type",
    labelNames: ['type'] as const,
    buckets: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
    registers: [registry],
  });
  const handoffContextPreservation = new Histogram({
    name: 'baton_handoff_context_preservation_ratio',
    help: "Share of a handoff's packet fields the receiving agent's decision used or verified against what is stored (target > 0.98), by handoff type",
    labelNames: ['type'] as const,
    buckets: [0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 1],
    registers: [registry],
  });
  const handoffContextRequests = new Counter({
    name: 'baton_handoff_context_requests_total',
    help: 'Handoffs the quality gate held for an operator to supply missing context (CONTEXT_REQUESTED), by handoff type',
    labelNames: ['type'] as const,
    registers: [registry],
  });
  const escalations = new Counter({
    name: 'baton_escalations_total',
    help: 'Manager escalations raised, by trigger',
    labelNames: ['trigger'] as const,
    registers: [registry],
  });
  const rateLimitedOperations = new Counter({
    name: 'baton_rate_limited_operations_total',
    help: 'GraphQL operations refused (429) because their caller was over RATE_LIMIT_PER_MINUTE',
    registers: [registry],
  });
  const accessRefusals = new Counter({
    name: 'baton_access_refusals_total',
    help: 'Requests refused for who sent them, by reason: unauthenticated (no, or a bad, bearer token) or forbidden (a role that may not)',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  let readPool: (() => DatabaseConnections) | undefined;
  const databasePoolConnections = new Gauge({
    name: 'baton_db_pool_connections',
    help: 'Database pool connections by state: total (open), idle, waiting (callers queued for one). PGlite: one connection, total only',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const pool = readPool?.();
      if (!pool) return;
      this.set({ state: 'total' }, pool.total);
      if (pool.idle !== undefined) this.set({ state: 'idle' }, pool.idle);
      if (pool.waiting !== undefined) this.set({ state: 'waiting' }, pool.waiting);
    },
  });

  let checkDependencies: (() => Promise<unknown>) | undefined;
  const dependencyUp = new Gauge({
    name: 'baton_dependency_up',
    help: 'Whether a dependency answers (1) or not (0): database (PostgreSQL; Baton answers 503 without it), redis (Baton runs degraded without it)',
    labelNames: ['dependency'] as const,
    registers: [registry],
    async collect() {
      await checkDependencies?.();
    },
  });
  const degradedOperations = new Counter({
    name: 'baton_degraded_operations_total',
    help: 'Work skipped or refused because a dependency did not answer, by dependency and operation',
    labelNames: ['dependency', 'operation'] as const,
    registers: [registry],
  });

  const agentProcessing = new Histogram({
    name: 'baton_agent_processing_seconds',
    help: "Each agent's own time on one piece of work (triage: score and hand over a lead; engagement: plan and send; optimization: review a campaign)",
    labelNames: ['agent'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.085, 0.12, 0.2, 0.35, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const queueWait = new Histogram({
    name: 'baton_queue_wait_seconds',
    help: 'How long a job waited in its queue between becoming due and a worker taking it',
    labelNames: ['queue'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });

  // Every series exists from the start at 0, so rates, alerts and the HPA never see "no data".
  for (const transport of ['graphql_ws', 'sse'] satisfies SubscriptionTransport[]) subscriptionsActive.set({ transport }, 0);
  for (const endpoint of ['/graphql', '/mcp'] satisfies WebSocketEndpoint[]) websocketConnections.set({ endpoint }, 0);
  for (const type of Object.values(HandoffType).map((value) => value.toLowerCase())) {
    for (const status of TERMINAL_STATUSES) handoffs.inc({ type, status }, 0);
    handoffQualityScore.zero({ type });
    handoffContextPreservation.zero({ type });
    handoffContextRequests.inc({ type }, 0);
  }
  for (const trigger of Object.values(HandoffTrigger)) escalations.inc({ trigger: trigger.toLowerCase() }, 0);

  return {
    registry,
    httpRequestDuration,
    memoryOperationDuration,
    databaseQueryDuration,
    subscriptionsActive,
    websocketConnections,
    handoffs,
    handoffQualityScore,
    handoffContextPreservation,
    handoffContextRequests,
    escalations,
    databasePoolConnections,
    rateLimitedOperations,
    accessRefusals,
    watchDatabasePool(read) {
      readPool = read;
    },
    watchQueues: (read) => registerQueueGauges(registry, read),
    dependencyUp,
    degradedOperations,
    watchDependencies(check) {
      checkDependencies = check;
    },
    agentProcessing,
    queueWait,
  };
}

function registerQueueGauges(registry: Registry, read: () => Promise<QueueDepth[]>): void {
  let depths: { at: number; reading: Promise<QueueDepth[]> } | undefined;
  /** One read of the queue per scrape serves both gauges. */
  const currentDepths = () => {
    if (!depths || performance.now() - depths.at > 1_000) depths = { at: performance.now(), reading: read().catch(() => []) };
    return depths.reading;
  };
  const queueJobs = new Gauge({
    name: 'baton_queue_jobs',
    help: 'Jobs in each agent queue, by state: ready (due, waiting for a worker), scheduled (later, or backing off before a retry), running, failed (out of attempts)',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      for (const depth of await currentDepths()) {
        for (const state of QUEUE_STATES) this.set({ queue: depth.queue, state }, depth[state]);
      }
    },
  });
  const queueOldestJobAge = new Gauge({
    name: 'baton_queue_oldest_job_age_seconds',
    help: 'Seconds the longest-waiting due job of each queue has waited for a worker (0 when none waits)',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      for (const depth of await currentDepths()) this.set({ queue: depth.queue }, depth.oldestReadyAgeSeconds);
    },
  });
  for (const queue of QUEUES) {
    queueOldestJobAge.set({ queue }, 0);
    for (const state of QUEUE_STATES) queueJobs.set({ queue, state }, 0);
  }
}

const QUEUE_STATES = ['ready', 'scheduled', 'running', 'failed'] as const;

/** GET /metrics: Prometheus text exposition of this server's registry. */
export function createMetricsHandler({ registry }: Metrics) {
  return async (_request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const body = await registry.metrics();
    response.writeHead(200, { 'content-type': registry.contentType }).end(body);
  };
}
