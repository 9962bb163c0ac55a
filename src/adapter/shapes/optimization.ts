// Campaign optimization requests in the specification's vocabulary: the REST body and
// the JSON-RPC params (an OptimizationRequest: `{}`, `{ "metrics": ReportedMetrics }` or
// `{ "metrics": [MetricsSnapshot] }`, parsed by parseOptimizationRequest) → GraphQL's
// optimizeCampaign variables, and GraphQL's issue paths back. The response is
// optimization-response.ts's.
import { z } from 'zod';
import { InputError } from '../../errors.js';
import type { OptimizeCampaignMutationVariables } from '../__generated__/operations.js';
import { toDraft07 } from '../schema-dialects.js';
import { snakeCase } from './issue-paths.js';
import {
  OPTIMIZATION_REQUEST_JSON_SCHEMA,
  parseOptimizationRequest,
  type ParsedOptimizationRequest,
} from './optimization-request.js';
import { strictParams, text } from './params.js';

/** A validated optimization request for one campaign. */
export interface OptimizeInput extends ParsedOptimizationRequest {
  campaignId: string;
}

const GRAPHQL_INT_MAX = 2 ** 31 - 1;

/**
 * Validates an OptimizationRequest with parseOptimizationRequest, reporting its
 * issues (`metrics.roas`, `metrics.0.clicks`) as zod issues at the same paths.
 */
function parseRequest(body: unknown, context: z.core.$RefinementCtx): ParsedOptimizationRequest | undefined {
  let parsed: ParsedOptimizationRequest;
  try {
    parsed = parseOptimizationRequest(body);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    for (const issue of error.issues) context.issues.push({ code: 'custom', path: issue.path.split('.'), message: issue.message, input: body });
    return undefined;
  }
  const refuse = (path: string[], message: string) => context.issues.push({ code: 'custom', path, message, input: body });
  // Counts travel as GraphQL Int: 32 bits.
  const counted: { path: string[]; counts: Partial<Record<'impressions' | 'clicks' | 'conversions', number | null>> }[] = [
    ...(parsed.snapshots ?? []).map((snapshot, index) => ({ path: ['metrics', String(index)], counts: snapshot })),
    ...(parsed.reported ? [{ path: ['metrics'], counts: parsed.reported }] : []),
  ];
  for (const { path, counts } of counted) {
    for (const field of ['impressions', 'clicks', 'conversions'] as const) {
      if ((counts[field] ?? 0) > GRAPHQL_INT_MAX) refuse([...path, field], `is too large (at most ${GRAPHQL_INT_MAX})`);
    }
  }
  return context.issues.length > 0 ? undefined : parsed;
}

/**
 * REST `POST /api/v1/campaigns/{campaign_id}/optimize`: the path's campaign id and
 * the body (absent: analyze the stored metrics). Body issues are named from the
 * body (`metrics.roas`); the id's, `campaign_id`.
 */
export const optimizeRequestSchema = z
  .object({ campaign_id: z.string(), body: z.unknown() })
  .transform((request, context): OptimizeInput => {
    const parsed = parseRequest(request.body, context);
    return parsed ? { campaignId: request.campaign_id, ...parsed } : z.NEVER;
  });

/** agent/optimization/analyze params: `{ campaign_id, metrics? }`, `metrics` as in the REST body. */
export const analyzeParamsSchema = strictParams({
  campaign_id: text().describe('The campaign; metrics for an unknown id register it.'),
  // Validated by parseOptimizationRequest in the transform below; the metadata publishes its schema.
  metrics: z
    .unknown()
    .optional()
    .meta({
      description: 'A ReportedMetrics object (judged, not stored) or an array of MetricsSnapshot (stored first).',
      ...toDraft07(OPTIMIZATION_REQUEST_JSON_SCHEMA.properties.metrics),
    }),
}).transform((params, context): OptimizeInput => {
  const parsed = parseRequest(params.metrics === undefined ? {} : { metrics: params.metrics }, context);
  return parsed ? { campaignId: params.campaign_id, ...parsed } : z.NEVER;
});

export function toOptimizeVariables({ campaignId, snapshots, reported }: OptimizeInput): OptimizeCampaignMutationVariables {
  return { campaignId, ...(snapshots ? { metrics: snapshots } : {}), ...(reported ? { reported } : {}) };
}

/** GraphQL's paths (`campaignId`, `reported.cplUsd`, `metrics.0.periodStart`) → the request's (`campaign_id`, `metrics.cpl_usd`, `metrics.0.period_start`). */
export function optimizationPath(graphqlPath: string): string {
  return graphqlPath
    .split('.')
    .map((segment, index) => (index === 0 && segment === 'reported' ? 'metrics' : snakeCase(segment)))
    .join('.');
}
