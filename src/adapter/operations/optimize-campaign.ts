// POST /api/v1/campaigns/{campaign_id}/optimize, agent/optimization/analyze and the
// MCP tool analyze_campaign: `{ campaign_id, metrics? }` → OptimizationResponse, one
// GraphQL operation (OptimizeCampaign.graphql). Without metrics the stored metrics
// are analyzed (an unknown campaign is NOT_FOUND); metrics for an unknown campaign
// id register it. Over REST the campaign is the path's and the body is an
// OptimizationRequest.
import { OptimizeCampaignDocument } from '../__generated__/operations.js';
import { defineAdapterOperation } from '../adapter-operation.js';
import { payload } from '../operation-payload.js';
import { snakeCase } from '../shapes/issue-paths.js';
import { optimizationMetricsSchema, optimizationRequestSchema, toOptimizeVariables } from '../shapes/optimization-request.js';
import { optimizationResponseSchema, toOptimizationResponse } from '../shapes/optimization-response.js';
import { strictParams, text } from '../shapes/params.js';

export const optimizeCampaign = defineAdapterOperation({
  description:
    'Analyzes a campaign: KPIs (CTR, CVR, CPL, ROAS) overall and by channel, variant and period, recommendations with their evidence (sample sizes, p-values, posterior probabilities), and significant threshold breaches, which escalate to a manager: the managers (MANAGER_EMAILS) are emailed the escalation id, and nothing changes until a manager or admin approves it (resolve_escalation), which applies the recommendations to engagement (paused variants and channels are no longer chosen for the campaign’s leads; a budget reallocation sets each engagement channel’s share of new sequences). metrics, when given (reported KPIs or metric snapshots), are stored first; without them the stored metrics are analyzed.',
  rest: {
    method: 'POST',
    path: '/api/v1/campaigns/{campaign_id}/optimize',
    summary: 'Analyze a campaign: KPIs, recommendations with evidence, and an escalation on a significant breach',
    body: optimizationRequestSchema,
    failures: {
      400: 'Invalid request',
      403: 'The role may not optimize campaigns',
      404: 'No such campaign (and no metrics to register it with)',
    },
  },
  jsonRpc: { method: 'agent/optimization/analyze' },
  mcp: {
    name: 'analyze_campaign',
    title: 'Analyze and optimize a campaign',
    // Stores the metrics given and may escalate to a manager.
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    longRunning: true,
  },
  input: strictParams({
    campaign_id: text().describe('The campaign; metrics for an unknown id register it.'),
    metrics: optimizationMetricsSchema.optional(),
  }),
  document: OptimizeCampaignDocument,
  toVariables: ({ campaign_id, metrics }) => toOptimizeVariables(campaign_id, metrics),
  output: optimizationResponseSchema,
  toOutput: (data) => toOptimizationResponse(payload(data.optimizeCampaign, 'OptimizationResult')),
  /** GraphQL's paths (`campaignId`, `reported.cplUsd`, `metrics.0.periodStart`) → the request's (`campaign_id`, `metrics.cpl_usd`, `metrics.0.period_start`). */
  issuePath: (graphqlPath) =>
    graphqlPath
      .split('.')
      .map((segment, index) => (index === 0 && segment === 'reported' ? 'metrics' : snakeCase(segment)))
      .join('.'),
});
