// Handoff analytics over a time window: how the agents hand work to each other.
import { z } from 'zod';
import { handoffAnalytics, type AgentTiming, type HandoffAnalytics, type Timing } from '../agents/handoff/handoff-analytics.js';
import { builder } from './builder.js';

const DAY_MS = 86_400_000;
const MAX_WINDOW_DAYS = 366;

const CountRef = builder.objectRef<{ key: string; count: number }>('KeyCount').implement({
  fields: (t) => ({ key: t.exposeString('key'), count: t.exposeInt('count') }),
});

const counts = (record: Record<string, number>) => Object.entries(record).map(([key, count]) => ({ key, count }));

const TimingRef = builder.objectRef<Timing>('Timing').implement({
  description: 'Average, median (p50), 95th and 99th percentiles, in milliseconds; null when there was nothing to time.',
  fields: (t) => ({
    averageMs: t.exposeFloat('averageMs', { nullable: true }),
    p50Ms: t.exposeFloat('p50Ms', { nullable: true }),
    p95Ms: t.exposeFloat('p95Ms', { nullable: true }),
    p99Ms: t.exposeFloat('p99Ms', { nullable: true }),
  }),
});

const AgentTimingRef = builder.objectRef<AgentTiming>('AgentTiming').implement({
  description: "One agent's work in the window: how often, its own processing time, and how long the work waited in its queue first.",
  fields: (t) => ({
    agent: t.exposeString('agent', { description: 'triage, engagement or optimization.' }),
    count: t.exposeInt('count', { description: 'Leads triaged, or handoffs worked on.' }),
    processing: t.expose('processing', { type: TimingRef }),
    queueWait: t.expose('queueWait', { type: TimingRef }),
  }),
});

export const HandoffAnalyticsRef = builder.objectRef<HandoffAnalytics>('HandoffAnalytics').implement({
  description: "The specification's HandoffAnalytics over a window, with latency percentiles (p50, p95, p99), escalations and bounce-backs.",
  fields: (t) => ({
    since: t.expose('since', { type: 'DateTime' }),
    until: t.expose('until', { type: 'DateTime' }),
    activeHandoffs: t.exposeInt('activeHandoffs', {
      description: 'Not ended yet (requested, at the gate, waiting for context, worked on, waiting for a retry), and escalations waiting for a manager.',
    }),
    totalHandoffs: t.exposeInt('totalHandoffs'),
    successRate: t.exposeFloat('successRate', { nullable: true, description: 'Completed / finished; null before any finished.' }),
    averageQuality: t.exposeFloat('averageQuality', { nullable: true }),
    contextPreservationAccuracy: t.exposeFloat('contextPreservationAccuracy', {
      nullable: true,
      description:
        "The specification's KPI (target above 0.98): the average share of a handoff packet's fields the receiving agent's decision used or verified against what is stored, over the handoffs an agent worked on; null before one.",
    }),
    contextRequested: t.exposeInt('contextRequested', {
      description: 'Handoffs waiting now for an operator to supply context the quality gate missed (CONTEXT_REQUESTED: provideHandoffContext).',
    }),
    averageProcessingTimeMs: t.exposeFloat('averageProcessingTimeMs', { nullable: true }),
    p50ProcessingTimeMs: t.exposeFloat('p50ProcessingTimeMs', { nullable: true, description: 'Median processing time of agent handoffs.' }),
    p95ProcessingTimeMs: t.exposeFloat('p95ProcessingTimeMs', { nullable: true }),
    p99ProcessingTimeMs: t.exposeFloat('p99ProcessingTimeMs', { nullable: true, description: 'The slowest 1 % of agent handoffs start here.' }),
    byType: t.field({ type: [CountRef], resolve: (a) => counts(a.byType) }),
    byTrigger: t.field({ type: [CountRef], resolve: (a) => counts(a.byTrigger) }),
    escalations: t.exposeInt('escalations'),
    openEscalations: t.exposeInt('openEscalations'),
    bounceBacks: t.exposeInt('bounceBacks', { description: 'Handoffs back to the agent the previous step came from.' }),
    acceptanceLatency: t.expose('acceptanceLatency', {
      type: TimingRef,
      description: "From a handoff's request to the receiving agent accepting it: its wait in the queue and the quality gate.",
    }),
    agents: t.expose('agents', {
      type: [AgentTimingRef],
      description: 'Per agent: the specification asks triage 85 ms, engagement 120 ms, optimization 200 ms.',
    }),
    retriedHandoffs: t.exposeInt('retriedHandoffs', { description: 'Handoffs a worker had to try more than once (a passing failure, or a worker that died).' }),
    retries: t.exposeInt('retries', { description: 'Attempts beyond the first, over every handoff of the window.' }),
  }),
});

/** The window arguments: the last 24 hours unless told otherwise. */
export function analyticsWindow(since: Date | null | undefined, until: Date | null | undefined): { since: Date; until: Date } {
  const end = until ?? new Date();
  return { since: since ?? new Date(end.getTime() - DAY_MS), until: end };
}

builder.queryField('handoffAnalytics', (t) =>
  t.field({
    type: HandoffAnalyticsRef,
    description: 'Handoff analytics for handoffs created in [since, until); the last 24 hours by default.',
    authScopes: { read: true },
    args: { since: t.arg({ type: 'DateTime' }), until: t.arg({ type: 'DateTime' }) },
    validate: z.looseObject({ since: z.date().nullish(), until: z.date().nullish() }).superRefine(({ since, until }, context) => {
      const window = analyticsWindow(since, until);
      if (window.since >= window.until) context.addIssue({ code: 'custom', path: ['since'], message: 'must be before until' });
      if (window.until.getTime() - window.since.getTime() > MAX_WINDOW_DAYS * DAY_MS) {
        context.addIssue({ code: 'custom', path: ['since'], message: `must be at most ${MAX_WINDOW_DAYS} days before until` });
      }
    }),
    resolve: (_root, { since, until }, { services }) => handoffAnalytics(services.prisma, analyticsWindow(since, until)),
  }),
);
