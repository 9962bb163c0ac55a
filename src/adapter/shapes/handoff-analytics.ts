// Handoff analytics in the specification's vocabulary: the HandoffAnalytics
// schema (snake_case; `handoff_types` and `common_triggers` as objects keyed by
// the lower-case type and trigger) plus Baton's extras, from GraphQL's
// HandoffAnalytics over a window. GET /api/v1/agents/handoffs/analytics answers
// it; GET /api/v1/system/status carries it.
import { z } from 'zod';
import type { HandoffAnalyticsFieldsFragment } from '../__generated__/operations.js';
import { count, dateTime, orNull } from './fields.js';
import { named } from './named-shapes.js';

const counts = (description: string) => z.record(z.string(), count()).describe(description);

const timing = (what: string) =>
  z
    .object({
      average_ms: orNull(z.number(), `Milliseconds; null when there was nothing to time.`),
      p95_ms: orNull(z.number(), `Milliseconds, 95th percentile; null when there was nothing to time.`),
    })
    .describe(what);

const agentTiming = z.object({
  count: count().describe('Leads triaged, or handoffs worked on, in the window.'),
  processing: timing("The agent's own time on one piece of work."),
  queue_wait: timing("How long the work waited in the agent's queue before a worker took it."),
});

/**
 * The specification's HandoffAnalytics. Times are in milliseconds. `success_rate`
 * (completed / finished), `average_quality` and the times are null while there is
 * nothing to average. Extras: `p95_processing_time`, `escalations` (manager
 * escalations), `open_escalations` (waiting for a manager), `bounce_backs`
 * (handoffs back to the agent the previous one came from), and the window
 * (`since`, `until`).
 */
export const handoffAnalyticsSchema = named(
  'HandoffAnalytics',
  z
    .object({
      active_handoffs: count().describe('In progress (waiting for context included), or escalated and waiting for a manager.'),
      total_handoffs: count(),
      success_rate: orNull(z.number().min(0).max(1), 'Completed / finished; null before any finished.'),
      average_quality: orNull(z.number(), 'Average context quality, 0-1; null without a scored handoff.'),
      context_preservation_accuracy: orNull(
        z.number().min(0).max(1),
        "Extra: the specification's KPI context preservation accuracy (target above 0.98): the average share of a handoff packet's fields the receiving agent's decision used or verified against what is stored; null before an agent worked on one.",
      ),
      context_requests: count().describe(
        'Extra: handoffs waiting now for an operator to supply context the quality gate missed (context_requested; POST /api/v1/handoffs/{handoff_id}/context).',
      ),
      average_processing_time: orNull(z.number(), "Milliseconds, agent handoffs only (not a manager's deliberation); null without one."),
      handoff_types: counts('Handoffs by lower-case type (triage_to_engagement, engagement_to_optimization, manager_escalation), most frequent first.'),
      common_triggers: counts(
        'Handoffs by lower-case trigger (task_completion, escalation_required, performance_threshold, specialization_needed), most frequent first.',
      ),
      p95_processing_time: orNull(z.number(), "Extra: the 95th percentile of average_processing_time's population, milliseconds; null without one."),
      escalations: count().describe('Extra: manager escalations.'),
      open_escalations: count().describe('Extra: manager escalations waiting for a decision.'),
      bounce_backs: count().describe('Extra: handoffs back to the agent the previous handoff in the flow came from.'),
      acceptance_latency: timing("Extra: from a handoff's request to the receiving agent accepting it (its queue wait and the quality gate)."),
      agent_processing_times: z
        .object({ triage: agentTiming, engagement: agentTiming, optimization: agentTiming })
        .describe('Extra: per agent (the specification asks triage 85 ms, engagement 120 ms, optimization 200 ms).'),
      retried_handoffs: count().describe('Extra: handoffs a worker had to try more than once (a passing failure, or a worker that died).'),
      retries: count().describe('Extra: attempts beyond the first, over every handoff of the window.'),
      since: dateTime().describe("Extra: the window's start (inclusive)."),
      until: dateTime().describe("Extra: the window's end (exclusive)."),
    })
    .describe('Handoffs created in [since, until). Times are in milliseconds.'),
);

export function toHandoffAnalytics(analytics: HandoffAnalyticsFieldsFragment): z.infer<typeof handoffAnalyticsSchema> {
  return {
    active_handoffs: analytics.activeHandoffs,
    total_handoffs: analytics.totalHandoffs,
    success_rate: analytics.successRate,
    average_quality: analytics.averageQuality,
    context_preservation_accuracy: analytics.contextPreservationAccuracy,
    context_requests: analytics.contextRequested,
    average_processing_time: analytics.averageProcessingTimeMs,
    handoff_types: countsByKey(analytics.byType),
    common_triggers: countsByKey(analytics.byTrigger),
    p95_processing_time: analytics.p95ProcessingTimeMs,
    escalations: analytics.escalations,
    open_escalations: analytics.openEscalations,
    bounce_backs: analytics.bounceBacks,
    acceptance_latency: toTiming(analytics.acceptanceLatency),
    agent_processing_times: {
      triage: agentTimingOf(analytics, 'triage'),
      engagement: agentTimingOf(analytics, 'engagement'),
      optimization: agentTimingOf(analytics, 'optimization'),
    },
    retried_handoffs: analytics.retriedHandoffs,
    retries: analytics.retries,
    since: analytics.since,
    until: analytics.until,
  };
}

/** `[{ key: 'TRIAGE_TO_ENGAGEMENT', count: 3 }]` → `{ triage_to_engagement: 3 }`, most frequent first. */
function countsByKey(entries: readonly { key: string; count: number }[]): Record<string, number> {
  return Object.fromEntries([...entries].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)).map(({ key, count }) => [key.toLowerCase(), count]));
}

function toTiming({ averageMs, p95Ms }: { averageMs: number | null; p95Ms: number | null }) {
  return { average_ms: averageMs, p95_ms: p95Ms };
}

/** GraphQL lists every agent, each once. */
function agentTimingOf(analytics: HandoffAnalyticsFieldsFragment, name: string): z.infer<typeof agentTiming> {
  const timing = analytics.agents.find(({ agent }) => agent === name);
  if (!timing) return { count: 0, processing: { average_ms: null, p95_ms: null }, queue_wait: { average_ms: null, p95_ms: null } };
  return { count: timing.count, processing: toTiming(timing.processing), queue_wait: toTiming(timing.queueWait) };
}
