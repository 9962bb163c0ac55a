// The specification's SystemStatus, from GraphQL's systemStatus: snake_case, with
// `agent_status` keyed by agent and the handoff analytics in their REST shape.
import { z } from 'zod';
import type { SystemStatusQuery } from '../__generated__/operations.js';
import { HANDOFF_ANALYTICS_JSON_SCHEMA, toHandoffAnalytics, type HandoffAnalyticsShape } from './handoff-analytics.js';

/** GET /api/v1/system/status takes no parameters. */
export const systemStatusQuerySchema = z.strictObject({});

type Status = SystemStatusQuery['systemStatus'];

export interface SystemStatusShape {
  system_running: boolean;
  uptime_seconds: number;
  active_conversations: number;
  system_metrics: { server_id: string; node_version: string; memory_rss_bytes: number; heap_used_bytes: number };
  handoff_analytics: HandoffAnalyticsShape;
  memory_stats: {
    short_term: { backend: string; active_contexts: number; hits: number; misses: number; hit_rate: number | null };
    long_term: { profiles: number };
    episodic: { episodes: number; converted: number; replied: number; ignored: number; lost: number };
    semantic: { backend: string; nodes: number; facts: number };
  };
  agent_status: Record<string, { role: string; handoffs_last_24h: number; last_active_at: string | null }>;
}

export function toSystemStatus(status: Status): SystemStatusShape {
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
      short_term: { backend: shortTerm.backend, active_contexts: shortTerm.activeContexts, hits: shortTerm.hits, misses: shortTerm.misses, hit_rate: shortTerm.hitRate },
      long_term: { profiles: longTerm },
      episodic: { ...episodic },
      semantic: { ...semantic },
    },
    agent_status: Object.fromEntries(
      status.agentStatus.map((a) => [a.agent, { role: a.role, handoffs_last_24h: a.handoffsLast24h, last_active_at: a.lastActiveAt }]),
    ),
  };
}

const count = { type: 'integer', minimum: 0 } as const;

/** OpenAPI 3.0: the specification's SystemStatus, its objects spelled out. */
export const SYSTEM_STATUS_JSON_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['system_running', 'uptime_seconds', 'active_conversations', 'system_metrics', 'handoff_analytics', 'memory_stats', 'agent_status'],
  properties: {
    system_running: { type: 'boolean' },
    uptime_seconds: { type: 'number' },
    active_conversations: count,
    system_metrics: {
      type: 'object',
      properties: { server_id: { type: 'string' }, node_version: { type: 'string' }, memory_rss_bytes: { type: 'number' }, heap_used_bytes: { type: 'number' } },
    },
    handoff_analytics: HANDOFF_ANALYTICS_JSON_SCHEMA,
    memory_stats: {
      type: 'object',
      properties: {
        short_term: {
          type: 'object',
          properties: { backend: { type: 'string' }, active_contexts: count, hits: count, misses: count, hit_rate: { type: 'number', nullable: true } },
        },
        long_term: { type: 'object', properties: { profiles: count } },
        episodic: { type: 'object', properties: { episodes: count, converted: count, replied: count, ignored: count, lost: count } },
        semantic: { type: 'object', properties: { backend: { type: 'string' }, nodes: count, facts: count } },
      },
    },
    agent_status: {
      type: 'object',
      description: 'Keyed by agent id.',
      additionalProperties: {
        type: 'object',
        properties: { role: { type: 'string' }, handoffs_last_24h: count, last_active_at: { type: 'string', format: 'date-time', nullable: true } },
      },
    },
  },
} as const;
