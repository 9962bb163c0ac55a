// Prometheus metrics of one server: its own registry (tests run several servers
// in one process), process defaults, and HTTP request durations for every route.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  httpRequestDuration: Histogram<'method' | 'route' | 'status_code'>;
  memoryOperationDuration: Histogram<'tier' | 'operation' | 'outcome'>;
  databaseQueryDuration: Histogram;
}

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
  return { registry, httpRequestDuration, memoryOperationDuration, databaseQueryDuration };
}

/** GET /metrics: Prometheus text exposition of this server's registry. */
export function createMetricsHandler({ registry }: Metrics) {
  return async (_request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const body = await registry.metrics();
    response.writeHead(200, { 'content-type': registry.contentType }).end(body);
  };
}
