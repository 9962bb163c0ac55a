// Handoff analytics in the specification's vocabulary: the HandoffAnalytics
// schema (snake_case; `handoff_types` and `common_triggers` as objects keyed by
// the lower-case type and trigger) plus Baton's extras, from GraphQL's
// HandoffAnalytics over a window.
import { z } from 'zod';
import type { HandoffAnalyticsFieldsFragment, HandoffAnalyticsQueryVariables } from '../__generated__/operations.js';
import { issuePaths } from './issue-paths.js';
import { strictParams } from './params.js';

const isoDate = z.iso.date();
const isoDateTimeWithOffset = z.iso.datetime({ offset: true });

const BOUND_FORMAT = 'must be an ISO 8601 date (2026-11-27) or date-time with a time zone (2026-11-27T09:30:00Z)';

/** `2026-11-27` (midnight UTC) or an ISO 8601 date-time with a time zone, as GraphQL's DateTime accepts it; once. */
const windowBound = () =>
  z
    .string({ error: (issue) => (Array.isArray(issue.input) ? 'must be given once' : BOUND_FORMAT) })
    .refine((value) => isoDate.safeParse(value).success || isoDateTimeWithOffset.safeParse(value).success, BOUND_FORMAT)
    .transform((value) => (isoDate.safeParse(value).success ? `${value}T00:00:00.000Z` : value));

/**
 * GET /api/v1/agents/handoffs/analytics query parameters: handoffs created in
 * [since, until); `until` defaults to now and `since` to 24 hours before `until`;
 * at most 366 days. A repeated or unknown parameter is refused. In a query
 * string an offset's `+` must be encoded (`%2B`), or use `Z`.
 */
export const handoffAnalyticsQuerySchema = strictParams({
  since: windowBound().optional(),
  until: windowBound().optional(),
});

export type HandoffAnalyticsParams = z.infer<typeof handoffAnalyticsQuerySchema>;

export function toAnalyticsVariables(params: HandoffAnalyticsParams): HandoffAnalyticsQueryVariables {
  return { ...(params.since ? { since: params.since } : {}), ...(params.until ? { until: params.until } : {}) };
}

/**
 * The specification's HandoffAnalytics. Times are in milliseconds. `success_rate`
 * (completed / finished), `average_quality` and the times are null while there is
 * nothing to average. Extras: `p95_processing_time`, `escalations` (manager
 * escalations), `open_escalations` (waiting for a manager), `bounce_backs`
 * (handoffs back to the agent the previous one came from), and the window
 * (`since`, `until`).
 */
export interface HandoffAnalyticsShape {
  /** In progress, or escalated and waiting for a manager. */
  active_handoffs: number;
  total_handoffs: number;
  success_rate: number | null;
  average_quality: number | null;
  average_processing_time: number | null;
  /** `{ "triage_to_engagement": 3, … }`: every type, most frequent first. */
  handoff_types: Record<string, number>;
  /** `{ "task_completion": 3, … }`: every trigger, most frequent first. */
  common_triggers: Record<string, number>;
  p95_processing_time: number | null;
  escalations: number;
  open_escalations: number;
  bounce_backs: number;
  /** ISO 8601. */
  since: string;
  until: string;
}

const count = { type: 'integer', minimum: 0 } as const;
const nullableNumber = (description: string) => ({ type: 'number', nullable: true, description }) as const;
const counts = (description: string) => ({ type: 'object', description, additionalProperties: count }) as const;

/** JSON Schema (OpenAPI 3.0) of HandoffAnalyticsShape: the specification's HandoffAnalytics with the extras documented. */
export const HANDOFF_ANALYTICS_JSON_SCHEMA = {
  type: 'object',
  title: 'HandoffAnalytics',
  description: 'Handoffs created in [since, until). Times are in milliseconds.',
  additionalProperties: false,
  required: [
    'active_handoffs',
    'total_handoffs',
    'success_rate',
    'average_quality',
    'average_processing_time',
    'handoff_types',
    'common_triggers',
    'p95_processing_time',
    'escalations',
    'open_escalations',
    'bounce_backs',
    'since',
    'until',
  ],
  properties: {
    active_handoffs: { ...count, description: 'In progress, or escalated and waiting for a manager.' },
    total_handoffs: count,
    success_rate: { type: 'number', minimum: 0, maximum: 1, nullable: true, description: 'Completed / finished; null before any finished.' },
    average_quality: nullableNumber('Average context quality, 0-1; null without a scored handoff.'),
    average_processing_time: nullableNumber('Milliseconds, agent handoffs only (not a manager\'s deliberation); null without one.'),
    handoff_types: counts('Handoffs by lower-case type (triage_to_engagement, engagement_to_optimization, manager_escalation), most frequent first.'),
    common_triggers: counts('Handoffs by lower-case trigger (task_completion, escalation_required, performance_threshold, specialization_needed), most frequent first.'),
    p95_processing_time: nullableNumber('Extra: the 95th percentile of average_processing_time\'s population, milliseconds.'),
    escalations: { ...count, description: 'Extra: manager escalations.' },
    open_escalations: { ...count, description: 'Extra: manager escalations waiting for a decision.' },
    bounce_backs: { ...count, description: 'Extra: handoffs back to the agent the previous handoff in the flow came from.' },
    since: { type: 'string', format: 'date-time', description: 'Extra: the window\'s start (inclusive).' },
    until: { type: 'string', format: 'date-time', description: 'Extra: the window\'s end (exclusive).' },
  },
} as const;

/** `[{ key: 'TRIAGE_TO_ENGAGEMENT', count: 3 }]` → `{ triage_to_engagement: 3 }`, most frequent first. */
function countsByKey(entries: readonly { key: string; count: number }[]): Record<string, number> {
  return Object.fromEntries(
    [...entries].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)).map(({ key, count }) => [key.toLowerCase(), count]),
  );
}

export function toHandoffAnalytics(analytics: HandoffAnalyticsFieldsFragment): HandoffAnalyticsShape {
  return {
    active_handoffs: analytics.activeHandoffs,
    total_handoffs: analytics.totalHandoffs,
    success_rate: analytics.successRate,
    average_quality: analytics.averageQuality,
    average_processing_time: analytics.averageProcessingTimeMs,
    handoff_types: countsByKey(analytics.byType),
    common_triggers: countsByKey(analytics.byTrigger),
    p95_processing_time: analytics.p95ProcessingTimeMs,
    escalations: analytics.escalations,
    open_escalations: analytics.openEscalations,
    bounce_backs: analytics.bounceBacks,
    since: analytics.since,
    until: analytics.until,
  };
}

export const handoffAnalyticsPath = issuePaths({});
