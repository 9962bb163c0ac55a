// systemStatus: the specification's SystemStatus, for a dashboard's front page.
import type { AgentStatus, SystemStatus } from '../agents/system-status.js';
import type { DependencyState } from '../http/dependencies.js';
import { builder } from './builder.js';
import { HandoffAnalyticsRef } from './handoff-analytics.js';
import { MemoryStatsRef } from './memory.js';
import { currentTriageModel, triageDriftStatus } from '../memory/triage-model/triage-model-versions.js';
import { TriageDriftRef } from './triage-drift.js';
import { TriageModelVersionRef } from './triage-model.js';

const AgentStatusRef = builder.objectRef<AgentStatus>('AgentStatus').implement({
  fields: (t) => ({
    agent: t.exposeString('agent'),
    role: t.exposeString('role', { description: 'triage, engagement, optimization or manager.' }),
    handoffsLast24h: t.exposeInt('handoffsLast24h', { description: 'Handoffs it sent or received in the last 24 hours.' }),
    lastActiveAt: t.expose('lastActiveAt', { type: 'DateTime', nullable: true }),
  }),
});

const DependencyStatusRef = builder.objectRef<DependencyState>('DependencyStatus').implement({
  description: 'One of the services Baton depends on, as it answers now.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'database (PostgreSQL or the embedded one) or redis.' }),
    required: t.exposeBoolean('required', { description: 'Without a required dependency Baton answers 503; without another it runs degraded.' }),
    up: t.exposeBoolean('up'),
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
    health: t.exposeString('health', {
      description:
        'healthy, or degraded while an optional dependency (Redis) does not answer: leads are still processed, with less (README, "When a dependency is down").',
    }),
    dependencies: t.field({ type: [DependencyStatusRef], resolve: (s) => s.dependencies }),
    uptimeSeconds: t.exposeFloat('uptimeSeconds', { description: 'Of the server answering.' }),
    activeConversations: t.exposeInt('activeConversations', { description: 'Conversations with live short-term context.' }),
    systemMetrics: t.field({ type: SystemMetricsRef, resolve: (s) => s.systemMetrics }),
    agentStatus: t.field({ type: [AgentStatusRef], resolve: (s) => s.agentStatus }),
    memoryStats: t.field({ type: MemoryStatsRef, resolve: (s) => s.memoryStats }),
    handoffAnalytics: t.field({ type: HandoffAnalyticsRef, description: 'The last 24 hours.', resolve: (s) => s.handoffAnalytics }),
    triageModel: t.field({
      type: TriageModelVersionRef,
      description: 'The triage model scoring leads now (as the triageModel query).',
      resolve: (_status, _args, { services }) => currentTriageModel(services.prisma),
    }),
    triageDrift: t.field({
      type: TriageDriftRef,
      description: 'Whether the market still converts the way the triage model learned: DRIFTING while it relearns (as the triageDrift query).',
      resolve: (_status, _args, { services }) => triageDriftStatus(services.prisma),
    }),
  }),
});

builder.queryField('systemStatus', (t) =>
  t.field({
    type: SystemStatusRef,
    authScopes: { read: true },
    resolve: (_root, _args, { services }) => services.systemStatus(),
  }),
);
