// GET /api/v1/agents/handoffs/analytics?since&until and the MCP tool
// get_handoff_analytics → HandoffAnalytics, one GraphQL operation (HandoffAnalytics.graphql).
import { z } from 'zod';
import { HandoffAnalyticsDocument } from '../__generated__/operations.js';
import { defineAdapterOperation } from '../adapter-operation.js';
import { READ_ONLY } from '../door-bindings.js';
import { handoffAnalyticsSchema, toHandoffAnalytics } from '../shapes/handoff-analytics.js';
import { issuePaths } from '../shapes/issue-paths.js';
import { strictParams } from '../shapes/params.js';

const isoDate = z.iso.date();
const isoDateTimeWithOffset = z.iso.datetime({ offset: true });

const BOUND_FORMAT = 'must be an ISO 8601 date (2026-11-27) or date-time with a time zone (2026-11-27T09:30:00Z)';

/** `2026-11-27` (midnight UTC) or an ISO 8601 date-time with a time zone, as GraphQL's DateTime accepts it; once. */
const windowBound = (description: string) =>
  z
    .string({ error: (issue) => (Array.isArray(issue.input) ? 'must be given once' : BOUND_FORMAT) })
    .refine((value) => isoDate.safeParse(value).success || isoDateTimeWithOffset.safeParse(value).success, BOUND_FORMAT)
    .transform((value) => (isoDate.safeParse(value).success ? `${value}T00:00:00.000Z` : value))
    .describe(description);

export const handoffAnalytics = defineAdapterOperation({
  description:
    'Handoff analytics over [since, until) (the last 24 hours by default): totals, success rate, average context quality, processing times (average and p95), counts by type and trigger, escalations and bounce-backs.',
  rest: {
    method: 'GET',
    path: '/api/v1/agents/handoffs/analytics',
    summary: 'Handoff analytics over a window (the last 24 hours by default)',
    failures: { 400: 'Invalid window' },
  },
  mcp: { name: 'get_handoff_analytics', title: 'Read handoff analytics', annotations: READ_ONLY },
  /**
   * Handoffs created in [since, until); `until` defaults to now and `since` to 24
   * hours before `until`; at most 366 days. A repeated or unknown parameter is
   * refused. In a query string an offset's `+` must be encoded (`%2B`), or use `Z`.
   */
  input: strictParams({
    since: windowBound("The window's start (inclusive): a date (midnight UTC) or a date-time with a time zone; 24 hours before until by default.").optional(),
    until: windowBound("The window's end (exclusive); now by default.").optional(),
  }),
  document: HandoffAnalyticsDocument,
  toVariables: ({ since, until }) => ({ ...(since ? { since } : {}), ...(until ? { until } : {}) }),
  output: handoffAnalyticsSchema,
  toOutput: (data) => toHandoffAnalytics(data.handoffAnalytics),
  issuePath: issuePaths({}),
});
