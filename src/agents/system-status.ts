// How the system is doing, for a dashboard and the specification's SystemStatus:
// uptime, live conversations, each agent's recent work, memory and handoff figures.
// (GraphQL's systemStatus also carries the triage model and its drift state, read
// by their own resolvers only when asked for.)
import { healthOf, type Dependencies, type DependencyState, type Health } from '../http/dependencies.js';
import type { PrismaClient } from '../db/generated/prisma/client.js';
import type { Memory } from '../memory/memory.js';
import type { MemoryStats } from '../memory/memory-stats.js';
import { ENGAGEMENT_AGENT_BY_CATEGORY, MANAGER, OPTIMIZATION_AGENT, TRIAGE_AGENT } from '../domain/agent-ids.js';
import { handoffAnalytics, type HandoffAnalytics } from './handoff/handoff-analytics.js';

export interface AgentStatus {
  agent: string;
  role: 'triage' | 'engagement' | 'optimization' | 'manager';
  /** Handoffs this agent sent or received in the last 24 hours. */
  handoffsLast24h: number;
  lastActiveAt: Date | null;
}

export interface SystemStatus {
  systemRunning: boolean;
  /** healthy, or degraded while an optional dependency (Redis) does not answer. */
  health: Health;
  dependencies: DependencyState[];
  uptimeSeconds: number;
  /** Conversations with live short-term context. */
  activeConversations: number;
  systemMetrics: { serverId: string; nodeVersion: string; memoryRssBytes: number; heapUsedBytes: number };
  agentStatus: AgentStatus[];
  memoryStats: MemoryStats;
  handoffAnalytics: HandoffAnalytics;
}

const DAY_MS = 86_400_000;

const AGENTS: { agent: string; role: AgentStatus['role'] }[] = [
  { agent: TRIAGE_AGENT, role: 'triage' },
  ...Object.values(ENGAGEMENT_AGENT_BY_CATEGORY).map((agent) => ({ agent, role: 'engagement' as const })),
  { agent: OPTIMIZATION_AGENT, role: 'optimization' },
  { agent: MANAGER, role: 'manager' },
];

export async function systemStatus(deps: {
  prisma: PrismaClient;
  memory: Memory;
  serverId: string;
  startedAt: Date;
  dependencies: Dependencies;
}): Promise<SystemStatus> {
  const until = new Date();
  const since = new Date(until.getTime() - DAY_MS);
  const [dependencies, memoryStats, analytics, activity] = await Promise.all([
    deps.dependencies.check(),
    deps.memory.stats(),
    handoffAnalytics(deps.prisma, { since, until }),
    deps.prisma.$queryRaw<{ agent: string; handoffs: number; lastActiveAt: Date | null }[]>`
      SELECT agent, count(*)::int AS "handoffs", max("createdAt") AS "lastActiveAt"
      FROM (SELECT "fromAgent" AS agent, "createdAt" FROM "Handoff" WHERE "createdAt" >= ${since}
            UNION ALL
            SELECT "toAgent" AS agent, "createdAt" FROM "Handoff" WHERE "createdAt" >= ${since}) AS moves
      GROUP BY agent`,
  ]);
  const byAgent = new Map(activity.map((row) => [row.agent, row]));
  const usage = process.memoryUsage();
  return {
    systemRunning: true,
    health: healthOf(dependencies),
    dependencies,
    uptimeSeconds: Math.round((until.getTime() - deps.startedAt.getTime()) / 1000),
    activeConversations: memoryStats.shortTerm.activeContexts,
    systemMetrics: { serverId: deps.serverId, nodeVersion: process.version, memoryRssBytes: usage.rss, heapUsedBytes: usage.heapUsed },
    agentStatus: AGENTS.map(({ agent, role }) => ({
      agent,
      role,
      handoffsLast24h: byAgent.get(agent)?.handoffs ?? 0,
      lastActiveAt: byAgent.get(agent)?.lastActiveAt ?? null,
    })),
    memoryStats,
    handoffAnalytics: analytics,
  };
}
