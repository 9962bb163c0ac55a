// systemStatus: the specification's SystemStatus, for a dashboard's front page.
import type { AgentStatus, SystemStatus } from '../agents/system-status.js';
import { builder } from './builder.js';
import { HandoffAnalyticsRef } from './handoff-analytics.js';
import { MemoryStatsRef } from './memory.js';

const AgentStatusRef = builder.objectRef<AgentStatus>('AgentStatus').implement({
  fields: (t) => ({
    agent: t.exposeString('agent'),
    role: t.exposeString('role', { description: 'triage, engagement, optimization or manager.' }),
    handoffsLast24h: t.exposeInt('handoffsLast24h', { description: 'Handoffs it sent or received in the last 24 hours.' }),
    lastActiveAt: t.expose('lastActiveAt', { type: 'DateTime', nullable: true }),
  }),
});

const SystemMetricsRef = builder.objectRef<SystemStatus['systemMetrics']>('SystemMetrics').implement({
  fields: (t) => ({
    serverId: t.exposeString('serverId'),
    nodeVersion: t.exposeString('nodeVersion'),
    memoryRssBytes: t.exposeFloat('memoryRssBytes'),
    heapUsedBytes: t.exposeFloat('heapUsedBytes'),
  }),
});

const SystemStatusRef = builder.objectRef<SystemStatus>('SystemStatus').implement({
  fields: (t) => ({
    systemRunning: t.exposeBoolean('systemRunning'),
    uptimeSeconds: t.exposeFloat('uptimeSeconds', { description: 'Of the server answering.' }),
    activeConversations: t.exposeInt('activeConversations', { description: 'Conversations with live short-term context.' }),
    systemMetrics: t.field({ type: SystemMetricsRef, resolve: (s) => s.systemMetrics }),
    agentStatus: t.field({ type: [AgentStatusRef], resolve: (s) => s.agentStatus }),
    memoryStats: t.field({ type: MemoryStatsRef, resolve: (s) => s.memoryStats }),
    handoffAnalytics: t.field({ type: HandoffAnalyticsRef, description: 'The last 24 hours.', resolve: (s) => s.handoffAnalytics }),
  }),
});

builder.queryField('systemStatus', (t) =>
  t.field({
    type: SystemStatusRef,
    authScopes: { read: true },
    resolve: (_root, _args, { services }) => services.systemStatus(),
  }),
);
