// The metrics deploy/ may query (alerts, dashboard, the HPAs' custom and external
// metrics): the names Baton exposes on /metrics (API, workers and adapter sidecar
// share src/http/metrics.ts), with their labels, and the values of the labels
// deploy/ selects on. monitoring.test.ts checks this list against a running Baton,
// and every PromQL expression in deploy/ against this list.
import { ROLES } from '../../../../src/config.js';
import { QUEUES } from '../../../../src/jobs/job-queue.js';

export interface MetricFamily {
  type: 'counter' | 'gauge' | 'histogram';
  labels: string[];
  /** Every value a label takes, for the labels deploy/ selects on (queue="triage", state="ready"). */
  values?: Record<string, readonly string[]>;
}

const GRAPHQL_OPERATION = ['operationName', 'operationType'];
/** The job queues (one per agent, delivery, and memory consolidation) and the agents that work them (BATON_ROLES but api and delivery). */
export const QUEUE_NAMES: readonly string[] = QUEUES;
export const AGENTS: readonly string[] = ROLES.filter((role) => role !== 'api' && role !== 'delivery');
/** The roles with worker pods of their own: the agents and the delivery worker. */
export const WORKER_ROLES: readonly string[] = ROLES.filter((role) => role !== 'api');
/** A queue's jobs by state (src/jobs/job-queue.ts, QueueDepth). */
export const QUEUE_STATES = ['ready', 'scheduled', 'running', 'failed'] as const;

export const BATON_METRICS: Record<string, MetricFamily> = {
  http_request_duration_seconds: { type: 'histogram', labels: ['method', 'route', 'status_code'] },
  // @envelop/prometheus (src/graphql/graphql-server.ts). Its counters carry no _total suffix.
  graphql_envelop_request: { type: 'counter', labels: GRAPHQL_OPERATION },
  graphql_envelop_request_duration: { type: 'histogram', labels: GRAPHQL_OPERATION },
  graphql_envelop_error_result: { type: 'counter', labels: [...GRAPHQL_OPERATION, 'phase'] },
  graphql_envelop_phase_parse: { type: 'histogram', labels: GRAPHQL_OPERATION },
  graphql_envelop_phase_validate: { type: 'histogram', labels: GRAPHQL_OPERATION },
  graphql_envelop_phase_context: { type: 'histogram', labels: GRAPHQL_OPERATION },
  graphql_envelop_phase_execute: { type: 'histogram', labels: GRAPHQL_OPERATION },
  baton_memory_operation_duration_seconds: { type: 'histogram', labels: ['tier', 'operation', 'outcome'] },
  baton_db_query_duration_seconds: { type: 'histogram', labels: [] },
  baton_db_pool_connections: { type: 'gauge', labels: ['state'] },
  baton_graphql_subscriptions_active: { type: 'gauge', labels: ['transport'] },
  baton_websocket_connections_active: { type: 'gauge', labels: ['endpoint'] },
  baton_handoffs_total: { type: 'counter', labels: ['type', 'status'] },
  baton_handoff_quality_score: { type: 'histogram', labels: ['type'] },
  baton_handoff_context_preservation_ratio: { type: 'histogram', labels: ['type'] },
  baton_handoff_context_requests_total: { type: 'counter', labels: ['type'] },
  baton_escalations_total: { type: 'counter', labels: ['trigger'] },
  // The job queues, read from the shared database by every process: the same value from every pod.
  baton_queue_jobs: { type: 'gauge', labels: ['queue', 'state'], values: { queue: QUEUE_NAMES, state: QUEUE_STATES } },
  baton_queue_oldest_job_age_seconds: { type: 'gauge', labels: ['queue'], values: { queue: QUEUE_NAMES } },
  baton_agent_processing_seconds: { type: 'histogram', labels: ['agent'], values: { agent: AGENTS } },
  baton_queue_wait_seconds: { type: 'histogram', labels: ['queue'], values: { queue: QUEUE_NAMES } },
  // The triage model in use and its drift, read from the shared database at each scrape: the same value from every pod.
  baton_triage_model_heldout_auc: { type: 'gauge', labels: [] },
  baton_triage_model_heldout_brier: { type: 'gauge', labels: [] },
  baton_triage_model_heldout_log_loss: { type: 'gauge', labels: [] },
  baton_triage_model_calibration_error: { type: 'gauge', labels: [] },
  baton_triage_model_drift: { type: 'gauge', labels: [] },
  baton_triage_model_drift_p_value: { type: 'gauge', labels: [] },
  baton_triage_model_drift_episodes_total: { type: 'counter', labels: [] },
  baton_triage_model_fits_total: { type: 'counter', labels: ['promoted'] },
  // prom-client's process defaults that deploy/ uses.
  process_cpu_seconds_total: { type: 'counter', labels: [] },
  process_resident_memory_bytes: { type: 'gauge', labels: [] },
  nodejs_eventloop_lag_p99_seconds: { type: 'gauge', labels: [] },
};

/** Series Prometheus makes itself for every target: `up`, 1 when the scrape succeeded. */
export const PROMETHEUS_SERIES: Record<string, MetricFamily> = {
  up: { type: 'gauge', labels: [] },
};

/**
 * Labels every series has beyond its own: server_id (prom-client default label,
 * src/http/metrics.ts), job and instance (Prometheus), and the Prometheus
 * Operator's target labels in Kubernetes.
 */
export const TARGET_LABELS = ['server_id', 'job', 'instance', 'namespace', 'pod', 'container', 'service', 'endpoint'];

/** The family a series name belongs to (histograms expose _bucket, _count and _sum), with the labels it may carry and their known values. */
export function familyOf(series: string): { name: string; labels: string[]; values: Record<string, readonly string[]> } | undefined {
  const known = { ...BATON_METRICS, ...PROMETHEUS_SERIES };
  if (known[series]) return { name: series, labels: known[series].labels, values: known[series].values ?? {} };
  const match = /^(.*)_(bucket|count|sum)$/.exec(series);
  const family = match ? BATON_METRICS[match[1]!] : undefined;
  if (!match || family?.type !== 'histogram') return undefined;
  return { name: match[1]!, labels: match[2] === 'bucket' ? [...family.labels, 'le'] : family.labels, values: family.values ?? {} };
}
