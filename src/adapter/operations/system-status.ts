// GET /api/v1/system/status → the specification's SystemStatus, one GraphQL
// operation (SystemStatus.graphql): snake_case, with `agent_status` keyed by
// agent and the handoff analytics in their REST shape.
import { z } from 'zod';
import { SystemStatusDocument } from '../__generated__/operations.js';
import { defineAdapterOperation } from '../adapter-operation.js';
import { count, dateTime, orNull } from '../shapes/fields.js';
import { handoffAnalyticsSchema, toHandoffAnalytics } from '../shapes/handoff-analytics.js';
import { issuePaths } from '../shapes/issue-paths.js';
import { named } from '../shapes/named-shapes.js';

const systemStatusSchema = named(
  'SystemStatus',
  z.object({
    system_running: z.boolean(),
    uptime_seconds: z.number(),
    active_conversations: count(),
    system_metrics: z.object({ server_id: z.string(), node_version: z.string(), memory_rss_bytes: z.number(), heap_used_bytes: z.number() }),
    handoff_analytics: handoffAnalyticsSchema,
    memory_stats: z.object({
      short_term: z.object({
        backend: z.string(),
        active_contexts: count(),
        hits: count(),
        misses: count(),
        hit_rate: orNull(z.number(), 'Hits / lookups; null before the first lookup.'),
      }),
      long_term: z.object({ profiles: count() }),
      episodic: z.object({ episodes: count(), converted: count(), replied: count(), ignored: count(), lost: count() }),
      semantic: z.object({ backend: z.string(), nodes: count(), facts: count() }),
    }),
    agent_status: z
      .record(
        z.string(),
        z.object({
          role: z.string(),
          handoffs_last_24h: count(),
          last_active_at: dateTime().nullable().describe('The last handoff it took part in; null before the first.'),
        }),
      )
      .describe('Keyed by agent id.'),
  }),
);

export const systemStatus = defineAdapterOperation({
  description: 'System health: uptime, active conversations, agents and their recent handoffs, memory tier figures and handoff analytics.',
  rest: {
    method: 'GET',
    path: '/api/v1/system/status',
    summary: 'System health and performance: uptime, live conversations, agents, memory and handoff figures',
    failures: { 400: 'A query parameter (the route takes none)' },
  },
  input: z.strictObject({}),
  document: SystemStatusDocument,
  toVariables: () => ({}),
  output: systemStatusSchema,
  toOutput: ({ systemStatus: status }) => {
    const { shortTerm, longTerm, episodic, semantic } = status.memoryStats;
    return {
      system_running: status.systemRunning,
      uptime_seconds: status.uptimeSeconds,
      active_conversations: status.activeConversations,
      system_metrics: {
        server_id: status.systemMetrics.serverId,
        node_version: status.systemMetrics.nodeVersion,
        memory_rss_bytes: status.systemMetrics.memoryRssBytes,
        heap_used_bytes: status.systemMetrics.heapUsedBytes,
      },
      handoff_analytics: toHandoffAnalytics(status.handoffAnalytics),
      memory_stats: {
        short_term: {
          backend: shortTerm.backend,
          active_contexts: shortTerm.activeContexts,
          hits: shortTerm.hits,
          misses: shortTerm.misses,
          hit_rate: shortTerm.hitRate,
        },
        long_term: { profiles: longTerm },
        episodic: { ...episodic },
        semantic: { ...semantic },
      },
      agent_status: Object.fromEntries(
        status.agentStatus.map((a) => [a.agent, { role: a.role, handoffs_last_24h: a.handoffsLast24h, last_active_at: a.lastActiveAt }]),
      ),
    };
  },
  issuePath: issuePaths({}),
});
